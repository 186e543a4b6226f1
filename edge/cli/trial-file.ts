/**
 * The installer's trial file: a site, a policy, optionally a moment of its life to allocate for, and later rounds
 * (measurements, meter readings, arrivals) that show what closed loop, hysteresis and rotation do next.
 */
import { z } from 'zod';
import { DemandPeriodStateSchema } from '../../shared/demand/demand-preview';
import { PolicySchema } from '../../shared/policy/policy-schema';
import { ConnectorRefSchema } from '../../shared/site/connector-ref';
import { IdSchema, SiteSchema } from '../../shared/site/site-schema';
import { ConnectorStateSchema, MeterReadingSchema } from '../../shared/site/site-state';

const IsoTimeSchema = z.iso.datetime({ offset: true });
const amps = z.number().finite().nonnegative().max(100_000);

/**
 * What a car draws, as the charger's MeterValues would say: one number for the same current on every phase the car
 * uses (the session's `carPhases`, else the charger's phases), or amps on the charger's own L1, L2, L3.
 */
export const TrialMeasurementSchema = z
  .object({
    ref: ConnectorRefSchema,
    amps: z.union([amps, z.tuple([amps, amps, amps])]),
    /** When it was measured; defaults to the round's time. */
    at: IsoTimeSchema.optional(),
  })
  .strict();

/** A meter reading in a later round; `at` defaults to the round's time. */
export const TrialMeterSchema = z
  .object({
    meterId: IdSchema,
    amps: z.tuple([amps, amps, amps]),
    at: IsoTimeSchema.optional(),
    valid: z.boolean().default(true),
  })
  .strict();

/** A later round: what changed since the round before. Connectors and meters listed replace theirs by ref / id. */
export const TrialRoundSchema = z
  .object({
    at: IsoTimeSchema.optional(),
    /** Seconds after the round before; the alternative to `at`. */
    afterSeconds: z
      .number()
      .positive()
      .max(7 * 24 * 3600)
      .optional(),
    connectors: z.array(ConnectorStateSchema).max(20_000).default([]),
    meters: z.array(TrialMeterSchema).max(100).default([]),
    measurements: z.array(TrialMeasurementSchema).max(20_000).default([]),
  })
  .strict()
  .superRefine((round, ctx) => {
    if ((round.at === undefined) === (round.afterSeconds === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['at'], message: 'give either "at" or "afterSeconds"' });
    }
  });

export const TrialFileSchema = z
  .object({
    $schemaVersion: z.literal(1),
    site: SiteSchema,
    policy: PolicySchema,
    /** The moment to allocate for. */
    state: z
      .object({
        at: IsoTimeSchema.optional(),
        /** Without it, every connector has a car that just plugged in. */
        connectors: z.array(ConnectorStateSchema).max(20_000).optional(),
        meters: z.array(MeterReadingSchema).max(100).default([]),
        measurements: z.array(TrialMeasurementSchema).max(20_000).default([]),
        /**
         * Where the demand period stands at this moment (policy `demandControl`): the chargers' cap it gives is shown
         * and applied to this first round.
         */
        demand: DemandPeriodStateSchema.optional(),
      })
      .strict()
      .optional(),
    /** Later rounds, each allocated with the one before as its previous allocation. */
    rounds: z.array(TrialRoundSchema).max(100).default([]),
  })
  .strict();

export type TrialFile = z.output<typeof TrialFileSchema>;
export type TrialRound = z.output<typeof TrialRoundSchema>;
export type TrialMeasurement = z.output<typeof TrialMeasurementSchema>;
