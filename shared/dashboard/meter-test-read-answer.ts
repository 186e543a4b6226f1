/** What the dashboard's meter routes answer (the meters the agent reads, a one-off "test read"), and the schemas the page checks them with. */
import { z } from 'zod';
import { MessageRefFields } from '../server-messages';

const PhaseTripleSchema = z.tuple([z.number(), z.number(), z.number()]);

/**
 * How a meter is reached, as the site file writes it (edge/meter/meter-config.ts is the schema that checks it); the
 * settings the page does not show are kept, so that a meter sent back keeps them.
 */
export const MeterConnectionViewSchema = z.discriminatedUnion('transport', [
  z.looseObject({ transport: z.literal('tcp'), host: z.string(), port: z.number(), unitId: z.number() }),
  z.looseObject({
    transport: z.literal('rtu'),
    path: z.string(),
    baudRate: z.number(),
    parity: z.enum(['none', 'even', 'odd']),
    unitId: z.number(),
  }),
]);

/** A meter of the site as the site file writes it: what the page shows, with the rest (poll, plausibility, map) kept. */
export const SiteMeterViewSchema = z.looseObject({
  meterId: z.string(),
  model: z.string(),
  connection: MeterConnectionViewSchema,
});

export const MetersAnswerSchema = z.object({
  /** The register maps the agent knows, by model id. */
  models: z.array(z.string()).max(100),
  meters: z.array(z.object({ meterId: z.string(), model: z.string(), connection: MeterConnectionViewSchema })).max(64),
});

/**
 * One read of a meter: its values, with why they would not be believed when they would not (`implausible`); or where
 * it failed (`connect`, `read`) and how (`timeout`, `exception`: the meter refused the request, `crc`, `closed`: the
 * connection was refused or dropped, `io`), with the driver's message.
 */
export const MeterTestReadAnswerSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    values: z.object({
      volts: PhaseTripleSchema,
      amps: PhaseTripleSchema,
      watts: PhaseTripleSchema,
      totalWatts: z.number(),
      importWh: z.number(),
    }),
    /** English, with the reason and params for the page's language (shared/meter-faults.ts). */
    implausible: z.object({ message: z.string(), ...MessageRefFields }).optional(),
  }),
  z.object({
    ok: z.literal(false),
    stage: z.enum(['connect', 'read', 'decode']),
    kind: z.enum(['timeout', 'exception', 'crc', 'closed', 'io', 'undecodable']),
    message: z.string().max(500),
  }),
]);

export type MetersAnswer = z.output<typeof MetersAnswerSchema>;
export type SiteMeterView = z.output<typeof SiteMeterViewSchema>;
export type MeterTestReadAnswer = z.output<typeof MeterTestReadAnswerSchema>;
