/**
 * The `--previous` file: an allocation as the command writes it with `--out`, or its whole `--json` output (whose
 * last round is taken). Written by the command, so unknown keys are dropped rather than refused: a file written by
 * a later version still starts a round.
 */
import { z } from 'zod';
import { ALLOCATION_REASONS, type Allocation } from '../../shared/allocation/allocation-types';
import { ConnectorRefSchema } from '../../shared/site/connector-ref';
import type { FieldIssue } from '../../shared/errors';
import { parseWith } from '../../shared/validation';

const amps = z.number().finite().nonnegative();
const PhaseAmpsSchema = z.tuple([amps, amps, amps]);
const EpochMsSchema = z.number().finite().nonnegative();

const ConnectorAllocationSchema = z.object({
  ref: ConnectorRefSchema,
  chargerId: z.string().min(1),
  connectorId: z.number().int().min(1),
  amps,
  phaseAmps: PhaseAmpsSchema,
  phases: z.literal([1, 2, 3]),
  activity: z.enum(['active', 'paused', 'idle']),
  since: EpochMsSchema,
  changedAt: EpochMsSchema,
  reason: z.enum(ALLOCATION_REASONS),
  vip: z.boolean(),
  priority: z.number().int().nonnegative(),
  boundBy: z.string().optional(),
  carCapAmps: amps.optional(),
});

const CircuitLoadSchema = z.object({
  id: z.string().min(1),
  limitAmps: PhaseAmpsSchema,
  allocatedAmps: PhaseAmpsSchema,
  otherLoadAmps: PhaseAmpsSchema.optional(),
  meter: z.enum(['none', 'ok', 'lost']),
});

export const AllocationFileSchema: z.ZodType<Allocation> = z.object({
  at: EpochMsSchema,
  connectors: z.array(ConnectorAllocationSchema).max(20_000),
  circuits: z.array(CircuitLoadSchema).max(5000),
  budget: z.object({
    unit: z.enum(['kW', 'A']),
    value: z.number().finite().nonnegative(),
    source: z.enum(['static', 'schedule']),
  }),
  totalAmps: PhaseAmpsSchema,
});

/** The command's `--json` output, of which only the last round's allocation is read. */
const TrialOutputSchema = z.object({ rounds: z.array(z.object({ allocation: AllocationFileSchema })).min(1) });

/** The previous allocation in a parsed JSON file, or every bad field with its path. */
export function parsePreviousAllocation(
  json: unknown,
): { ok: true; value: Allocation } | { ok: false; issues: FieldIssue[] } {
  if (typeof json === 'object' && json !== null && 'rounds' in json) {
    const output = parseWith(TrialOutputSchema, json);
    return output.ok ? { ok: true, value: output.value.rounds[output.value.rounds.length - 1]!.allocation } : output;
  }
  return parseWith(AllocationFileSchema, json);
}
