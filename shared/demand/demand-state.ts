/** What peak-demand control keeps across restarts: the period being counted and the month's peaks. */
import { z } from 'zod';
import type { DeepReadonly } from '../deep-readonly';

const epochMs = z.number().int().nonnegative();
const month = z.string().regex(/^\d{4}-\d{2}$/);
const kw = z.number().finite().nonnegative();

export const DemandStateSchema = z
  .object({
    period: z.object({ start: epochMs, end: epochMs, month }).strict(),
    /** Energy imported in the period up to `countedAt` (Wh). */
    importedWh: z.number().finite().nonnegative(),
    countedAt: epochMs,
    /** The meter's import register at `countedAt` (Wh), when it has one. */
    registerWh: z.number().finite().nonnegative().optional(),
    /** The import power at `countedAt` (W). */
    importWatts: z.number().finite().nonnegative(),
    /** Part of the period's energy was assumed, not measured (meter lost, agent stopped). */
    uncertain: z.boolean(),
    /** The highest certain closed period's average per month (kW), the latest 13 months, oldest first. */
    peaks: z.array(z.object({ month, kw, at: epochMs }).strict()).max(13),
  })
  .strict();

export type DemandState = DeepReadonly<z.output<typeof DemandStateSchema>>;
export type MonthPeak = DemandState['peaks'][number];
