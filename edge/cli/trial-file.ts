/** The installer's trial file: a site, a policy and optionally a moment of its life to allocate for. */
import { z } from 'zod';
import type { SiteSnapshot } from '../../shared/allocation/allocation-types';
import { PolicySchema, type Policy } from '../../shared/policy/policy-schema';
import { SiteSchema } from '../../shared/site/site-schema';
import { ConnectorStateSchema, MeterReadingSchema, type ConnectorState } from '../../shared/site/site-state';

export const TrialFileSchema = z
  .object({
    $schemaVersion: z.literal(1),
    site: SiteSchema,
    policy: PolicySchema,
    /** The moment to allocate for; without it every connector has a car that just plugged in, now. */
    state: z
      .object({
        at: z.iso.datetime({ offset: true }).optional(),
        connectors: z.array(ConnectorStateSchema).max(20_000).default([]),
        meters: z.array(MeterReadingSchema).max(100).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

export type TrialFile = z.output<typeof TrialFileSchema>;

/** The allocator's input for a trial file: its state, or every connector charging with a fresh session. */
export function trialSnapshot(trial: TrialFile, wallClock: number): { snapshot: SiteSnapshot; policy: Policy; now: number } {
  const now = trial.state?.at ? Date.parse(trial.state.at) : wallClock;
  const connectors: ConnectorState[] =
    trial.state?.connectors ??
    trial.site.chargers.flatMap((charger) =>
      charger.connectors.map((c): ConnectorState => ({ ref: `${charger.id}/${c.id}`, status: 'Charging', link: 'online', session: { id: `trial-${charger.id}-${c.id}`, startedAt: now, energyWh: 0 } })),
    );
  return { snapshot: { site: trial.site, connectors, meters: trial.state?.meters ?? [] }, policy: trial.policy, now };
}
