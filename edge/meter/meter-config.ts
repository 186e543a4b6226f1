/** The configuration of one grid meter: how to reach it, which register map it speaks, how to poll and judge it. */
import { z } from 'zod';
import type { FieldIssue } from '../../shared/errors';
import { addReasonedIssue, reasonedIssue } from '../../shared/reasoned-issue';
import type { MessageParamRef } from '../../shared/server-messages';
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
    if (poll.timeoutMs > poll.intervalMs) addReasonedIssue(ctx, ['timeoutMs'], 'meterSettings.timeoutAboveInterval');
    if (poll.backoffMaxMs < poll.backoffInitialMs)
      addReasonedIssue(ctx, ['backoffMaxMs'], 'meterSettings.backoffBelowInitial');
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
    if (p.maxVolts <= p.minVolts) addReasonedIssue(ctx, ['maxVolts'], 'meterSettings.maxVoltsNotAbove');
  });

/**
 * What a meter measures, checked against the circuit tree when given: `grid` is the root circuit's meter (the grid
 * connection), `sub-distribution` a lower circuit's, `pv-inverter` the meter of a circuit that holds a PV inverter and
 * no charger (it does not see other consumers, so it cannot protect chargers).
 */
export const METER_ROLES = ['grid', 'sub-distribution', 'pv-inverter'] as const;
export type MeterRole = (typeof METER_ROLES)[number];

export const MeterConfigSchema = z
  .object({
    /** Matches `circuits[].meterId` in the site model. */
    meterId: IdSchema,
    role: z.enum(METER_ROLES).optional(),
    model: z.enum([...METER_MODEL_IDS, 'custom']),
    /** Required when `model` is `custom`: the installer's register map. */
    customMap: RegisterMapSchema.optional(),
    connection: MeterConnectionSchema,
    poll: PollSchema.default(() => PollSchema.parse({})),
    plausibility: PlausibilitySchema.default(() => PlausibilitySchema.parse({})),
  })
  .strict()
  .superRefine((meter, ctx) => {
    if (meter.model === 'custom' && meter.customMap === undefined)
      addReasonedIssue(ctx, ['customMap'], 'meterSettings.customMapRequired');
    if (meter.model !== 'custom' && meter.customMap !== undefined)
      addReasonedIssue(ctx, ['customMap'], 'meterSettings.customMapNotAllowed', { model: meter.model });
  });

/** Every meter of a site; meter ids are unique. */
export const MeterConfigListSchema = z
  .array(MeterConfigSchema)
  .max(64)
  .superRefine((meters, ctx) => {
    const seen = new Set<string>();
    meters.forEach((m, i) => {
      if (seen.has(m.meterId))
        addReasonedIssue(ctx, [i, 'meterId'], 'meterSettings.duplicateMeter', { meterId: m.meterId });
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
  if (config.customMap === undefined)
    throw new TypeError('custom meter without customMap: parse the config with MeterConfigSchema');
  return config.customMap;
}

/**
 * How the meters map onto the circuit tree, as issues with their path in the site: a circuit naming no configured
 * meter, a meter named by two circuits, and a meter whose `role` does not fit its circuit.
 */
export function circuitMeterIssues(site: Site, meters: readonly MeterConfig[]): FieldIssue[] {
  const byId = new Map(meters.map((m) => [m.meterId, m]));
  const parents = new Map(site.circuits.map((c) => [c.id, c.parent]));
  const measuredBy = new Map<string, string>();
  const issues: FieldIssue[] = [];
  site.circuits.forEach((circuit, i) => {
    if (circuit.meterId === undefined) return;
    const path = `circuits[${i}].meterId`;
    const meter = byId.get(circuit.meterId);
    const meterId = circuit.meterId;
    if (meter === undefined) {
      issues.push(reasonedIssue(path, { reason: 'meterSettings.unknownMeter', params: { meterId } }));
      return;
    }
    const other = measuredBy.get(meterId);
    if (other !== undefined)
      issues.push(reasonedIssue(path, { reason: 'meterSettings.measuredTwice', params: { meterId, other } }));
    measuredBy.set(meterId, circuit.id);
    const misfit = meter.role === undefined ? undefined : roleMisfit(meter.role, circuit, site, parents);
    if (misfit !== undefined && meter.role !== undefined)
      issues.push(
        reasonedIssue(path, { reason: 'meterSettings.roleMisfit', params: { meterId, role: meter.role, misfit } }),
      );
  });
  return issues;
}

function roleMisfit(
  role: MeterRole,
  circuit: Site['circuits'][number],
  site: Site,
  parents: ReadonlyMap<string, string | null>,
): MessageParamRef | undefined {
  const root = circuit.parent === null;
  if (role === 'grid')
    return root
      ? undefined
      : { ref: 'meterSettings.misfit.notGrid', params: { circuit: circuit.id, parent: circuit.parent } };
  if (role === 'sub-distribution')
    return root ? { ref: 'meterSettings.misfit.isGrid', params: { circuit: circuit.id } } : undefined;
  const chargers = site.chargers.filter((c) => feeds(parents, circuit.id, c.circuit)).map((c) => c.id);
  return chargers.length === 0
    ? undefined
    : {
        ref: 'meterSettings.misfit.feedsChargers',
        params: { circuit: circuit.id, chargers: chargers.slice(0, 5).join(', ') },
      };
}

/** True when circuit `upper` is `circuitId` or one of its ancestors. */
function feeds(parents: ReadonlyMap<string, string | null>, upper: string, circuitId: string): boolean {
  const seen = new Set<string>();
  for (let id: string | null | undefined = circuitId; id != null && !seen.has(id); id = parents.get(id)) {
    if (id === upper) return true;
    seen.add(id);
  }
  return false;
}
