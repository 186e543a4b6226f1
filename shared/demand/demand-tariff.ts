/**
 * A site's capacity tariff (docs/demand-control.md, "In the cloud"): the money per kW of the month's peak, per year or
 * per month, in a currency. Kept with the site in the cloud, set in the console, and what the money saved is counted
 * at by default.
 */
import { z } from 'zod';
import { patternMessage } from '../reasoned-issue';

export const DemandTariffSchema = z
  .object({
    /** Money per kW of peak, per `per`. */
    perKw: z.number().finite().nonnegative().max(1_000_000),
    per: z.enum(['year', 'month']),
    /** ISO 4217 code (`EUR`). */
    currency: z.string().regex(/^[A-Z]{3}$/, patternMessage('demand.currencyCode')),
  })
  .strict();
export type DemandTariff = z.infer<typeof DemandTariffSchema>;

/** `GET`/`PUT /sites/:siteId/demand-tariff`: the tariff kept for the site; null when none was set. */
export const DemandTariffAnswerSchema = z.object({
  siteId: z.string(),
  tariff: DemandTariffSchema.extend({ updatedAt: z.number().int().nonnegative() }).nullable(),
});
export type DemandTariffAnswer = z.infer<typeof DemandTariffAnswerSchema>;
