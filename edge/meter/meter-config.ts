/** The configuration of one grid meter: how to reach it, which register map it speaks, how to poll and judge it. */
import { z } from 'zod';
import type { FieldIssue } from '../../shared/errors';
import { IdSchema, type Site } from '../../shared/site/site-schema';
import { METER_MODEL_IDS, METER_MODELS } from './meter-models';
import { RegisterMapSchema, type RegisterMap } from './register-map';

const unitId = z.number().int().min(1).max(247).default(1);

export const TcpConnectionSchema = z
  .object({
    transport: z.literal('tcp'),
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65_535).default(502),
    /** Modbus unit (slave) id; a TCP gateway in front of RS-485 meters needs the meter's own id. */
    unitId,
  })
  .strict();

export const RtuConnectionSchema = z
  .object({
    transport: z.literal('rtu'),
    /** Serial device, e.g. `/dev/ttyUSB0` or `/dev/serial/by-id/...`. */
    path: z.string().min(1).max(4096),
    baudRate: z.union([1200, 2400, 4800, 9600, 19_200, 38_400, 57_600, 115_200].map((b) => z.literal(b))).default(9600),
    parity: z.enum(['none', 'even', 'odd']).default('none'),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
    unitId,
  })
  .strict();

export const MeterConnectionSchema = z.discriminatedUnion('transport', [TcpConnectionSchema, RtuConnectionSchema]);

export const PollSchema = z
  .object({
    intervalMs: z.number().int().min(100).max(60_000).default(1000),
    /** How long one Modbus request may take before it counts as failed. */
    timeoutMs: z.number().int().min(20).max(30_000).default(500),
    /** Extra attempts of a failed read within one poll. */
    retries: z.number().int().min(0).max(5).default(1),
    /** Reconnect back-off: doubles from `initialMs` up to `maxMs`. */
    backoffInitialMs: z.number().int().min(10).max(60_000).default(1000),
    backoffMaxMs: z.number().int().min(10).max(600_000).default(30_000),
  })
  .strict()
  .superRefine((poll, ctx) => {
    if (poll.timeoutMs > poll.intervalMs) ctx.addIssue({ code: 'custom', path: ['timeoutMs'], message: 'must not exceed intervalMs' });
    if (poll.backoffMaxMs < poll.backoffInitialMs) ctx.addIssue({ code: 'custom', path: ['backoffMaxMs'], message: 'must not be below backoffInitialMs' });
  });

export const PlausibilitySchema = z
  .object({
    /** Line-to-neutral volts outside this band make a reading invalid (a lost phase reads near 0 V). */
    minVolts: z.number().min(0).max(1000).default(100),
    maxVolts: z.number().min(0).max(1000).default(300),
    /** More current than this on a phase is not believable for this connection. */
    maxAmps: z.number().positive().max(100_000).default(2000),
    /** A change of more than this between two consecutive polls is treated as a glitch. */
    maxStepAmps: z.number().positive().max(100_000).default(250),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.maxVolts <= p.minVolts) ctx.addIssue({ code: 'custom', path: ['maxVolts'], message: 'must be above minVolts' });
  });

export const MeterConfigSchema = z
  .object({
    /** Matches `circuits[].meterId` in the site model. */
    meterId: IdSchema,
    model: z.enum([...METER_MODEL_IDS, 'custom']),
    /** Required when `model` is `custom`: the installer's register map. */
    customMap: RegisterMapSchema.optional(),
    connection: MeterConnectionSchema,
    poll: PollSchema.default(() => PollSchema.parse({})),
    plausibility: PlausibilitySchema.default(() => PlausibilitySchema.parse({})),
  })
  .strict()
  .superRefine((meter, ctx) => {
    if (meter.model === 'custom' && meter.customMap === undefined) {
      ctx.addIssue({ code: 'custom', path: ['customMap'], message: 'required when model is "custom"' });
    }
    if (meter.model !== 'custom' && meter.customMap !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['customMap'], message: `only allowed when model is "custom", not "${meter.model}"` });
    }
  });

/** Every meter of a site; meter ids are unique. */
export const MeterConfigListSchema = z.array(MeterConfigSchema).max(64).superRefine((meters, ctx) => {
  const seen = new Set<string>();
  meters.forEach((m, i) => {
    if (seen.has(m.meterId)) ctx.addIssue({ code: 'custom', path: [i, 'meterId'], message: `duplicate meterId "${m.meterId}"` });
    seen.add(m.meterId);
  });
});

export type MeterConfigInput = z.input<typeof MeterConfigSchema>;
export type MeterConfig = z.output<typeof MeterConfigSchema>;
export type MeterConnection = z.output<typeof MeterConnectionSchema>;
export type PollSettings = z.output<typeof PollSchema>;
export type Plausibility = z.output<typeof PlausibilitySchema>;

/** The register map a parsed meter configuration speaks. */
export function registerMapOf(config: MeterConfig): RegisterMap {
  if (config.model !== 'custom') return METER_MODELS[config.model].map;
  if (config.customMap === undefined) throw new TypeError('custom meter without customMap: parse the config with MeterConfigSchema');
  return config.customMap;
}

/** Circuits whose `meterId` names no configured meter, as issues with their path in the site. */
export function unknownCircuitMeters(site: Site, meters: readonly MeterConfig[]): FieldIssue[] {
  const ids = new Set(meters.map((m) => m.meterId));
  const issues: FieldIssue[] = [];
  site.circuits.forEach((c, i) => {
    if (c.meterId !== undefined && !ids.has(c.meterId)) issues.push({ path: `circuits[${i}].meterId`, message: `no meter configured with meterId "${c.meterId}"` });
  });
  return issues;
}
