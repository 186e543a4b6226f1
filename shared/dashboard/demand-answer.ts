/** The dashboard's view of peak-demand control (`GET /api/demand`), defined once for the agent and the page. */
import { z } from 'zod';

const epochMs = z.number().int().nonnegative();
const kw = z.number().finite().nonnegative();

export const DemandAnswerSchema = z.object({
  enabled: z.boolean(),
  /** The period being counted; null before the first grid-meter reading (or while off). */
  period: z.object({ start: epochMs, end: epochMs, month: z.string() }).nullable(),
  /** The period's average import so far (kW). */
  averageSoFarKw: kw.nullable(),
  /** Where the period's average lands if the other load follows its forecast and the chargers take their room. */
  forecastKw: kw.nullable(),
  /** The target in force for this period (kW); null when none is set. */
  targetKw: kw.nullable(),
  /** The chargers' power cap in force (kW). */
  chargersCapKw: kw.nullable(),
  /** Part of the period's energy was assumed (meter lost, agent stopped). */
  uncertain: z.boolean(),
  /** The highest period average of each month kept, oldest first. */
  monthPeaks: z.array(z.object({ month: z.string(), kw, at: epochMs })).max(13),
});
export type DemandAnswer = z.infer<typeof DemandAnswerSchema>;
