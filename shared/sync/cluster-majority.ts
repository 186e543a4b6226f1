/**
 * The details of a `cluster.majority` event (edge/cluster/takeover-report.ts, `majorityEventBody`): a gateway without a
 * witness gained or lost the right to give more than the fail-safe, with the chargers it counted of the site's.
 */
import { z } from 'zod';

const ChargerCountSchema = z.number().int().nonnegative();

export const ClusterMajorityDetailsSchema = z.object({
  nodeId: z.string().min(1).max(64),
  mayExceedFailSafe: z.boolean(),
  countedChargers: ChargerCountSchema,
  siteChargers: ChargerCountSchema,
});

export type ClusterMajorityDetails = z.output<typeof ClusterMajorityDetailsSchema>;
