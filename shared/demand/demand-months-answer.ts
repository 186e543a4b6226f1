/** The API's answer for a site's peak-demand months (`GET /sites/:siteId/demand-months`), for the API and the console. */
import { z } from 'zod';

const kw = z.number().finite().nonnegative();

export const DemandMonthsAnswerSchema = z.object({
  siteId: z.string(),
  /**
   * The tariff the money was counted at: the one asked for, else the site's own (with its currency); null when
   * neither was there.
   */
  tariff: z
    .object({
      perKw: z.number().finite().nonnegative(),
      per: z.enum(['year', 'month']),
      currency: z.string().optional(),
    })
    .nullable(),
  /** Oldest first. */
  months: z
    .array(
      z.object({
        month: z.string(),
        periodMinutes: z.number().int().positive(),
        peakKw: kw,
        peakAt: z.number().int().nonnegative().optional(),
        uncontrolledPeakKw: kw,
        reportedAt: z.number().int().nonnegative(),
        avoidedKw: kw,
        saved: z.number().finite().nonnegative().nullable(),
      }),
    )
    .max(13),
});
export type DemandMonthsAnswer = z.infer<typeof DemandMonthsAnswerSchema>;
