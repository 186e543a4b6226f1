/** The schema of an allocation as the store keeps it, so that what is read back is checked, not trusted. */
import { z } from 'zod';
import { ALLOCATION_REASONS, type Allocation } from '../../shared/allocation/allocation-types';

const amps3 = z.tuple([z.number(), z.number(), z.number()]);

const ConnectorAllocationSchema = z.object({
  ref: z.string(),
  chargerId: z.string(),
  connectorId: z.number().int(),
  amps: z.number().nonnegative(),
  phaseAmps: amps3,
  phases: z.literal([1, 2, 3]),
  activity: z.enum(['active', 'paused', 'idle']),
  since: z.number(),
  changedAt: z.number(),
  reason: z.enum(ALLOCATION_REASONS),
  vip: z.boolean(),
  priority: z.number().int(),
  boundBy: z.string().optional(),
  carCapAmps: z.number().nonnegative().optional(),
});

const CircuitLoadSchema = z.object({
  id: z.string(),
  limitAmps: amps3,
  allocatedAmps: amps3,
  otherLoadAmps: amps3.optional(),
  meter: z.enum(['none', 'ok', 'lost']),
});

export const StoredAllocationSchema = z.object({
  at: z.number(),
  connectors: z.array(ConnectorAllocationSchema),
  circuits: z.array(CircuitLoadSchema),
  budget: z.object({ unit: z.enum(['kW', 'A']), value: z.number(), source: z.enum(['static', 'schedule']) }),
  totalAmps: amps3,
}) satisfies z.ZodType<Allocation>;
