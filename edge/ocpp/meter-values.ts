/** OCPP 1.6 meter values: the wire schema and the domain parse into per-phase amps, watts, volts and Wh. */
import { z } from 'zod';
import type { Measurement } from '../../shared/site/site-state';
import type { PhaseAmps } from '../../shared/units';
import { OcppDateTimeSchema } from './ocpp-values';

export const MEASURANDS = [
  'Energy.Active.Export.Register',
  'Energy.Active.Import.Register',
  'Energy.Reactive.Export.Register',
  'Energy.Reactive.Import.Register',
  'Energy.Active.Export.Interval',
  'Energy.Active.Import.Interval',
  'Energy.Reactive.Export.Interval',
  'Energy.Reactive.Import.Interval',
  'Power.Active.Export',
  'Power.Active.Import',
  'Power.Offered',
  'Power.Reactive.Export',
  'Power.Reactive.Import',
  'Power.Factor',
  'Current.Import',
  'Current.Export',
  'Current.Offered',
  'Voltage',
  'Frequency',
  'Temperature',
  'SoC',
  'RPM',
] as const;
export type Measurand = (typeof MEASURANDS)[number];

export const SAMPLED_PHASES = ['L1', 'L2', 'L3', 'N', 'L1-N', 'L2-N', 'L3-N', 'L1-L2', 'L2-L3', 'L3-L1'] as const;
const UNITS = [
  'Wh',
  'kWh',
  'varh',
  'kvarh',
  'W',
  'kW',
  'VA',
  'kVA',
  'var',
  'kvar',
  'A',
  'V',
  'K',
  'Celcius',
  'Celsius',
  'Fahrenheit',
  'Percent',
] as const;
const CONTEXTS = [
  'Interruption.Begin',
  'Interruption.End',
  'Sample.Clock',
  'Sample.Periodic',
  'Transaction.Begin',
  'Transaction.End',
  'Trigger',
  'Other',
] as const;

export const SampledValueSchema = z.object({
  value: z.string(),
  context: z.enum(CONTEXTS).optional(),
  format: z.enum(['Raw', 'SignedData']).optional(),
  measurand: z.enum(MEASURANDS).optional(),
  phase: z.enum(SAMPLED_PHASES).optional(),
  location: z.enum(['Cable', 'EV', 'Inlet', 'Outlet', 'Body']).optional(),
  unit: z.enum(UNITS).optional(),
});
export type SampledValue = z.input<typeof SampledValueSchema>;

export const MeterValueSchema = z.object({
  timestamp: OcppDateTimeSchema,
  sampledValue: z.array(SampledValueSchema).min(1),
});
export type MeterValue = z.output<typeof MeterValueSchema>;

/** What one set of meter values says about a connector, in the charger's own phase order. */
export interface MeterSample {
  readonly at: number;
  /** Current drawn on the charger's L1, L2, L3, when the charger reported it. */
  readonly measurement?: Measurement;
  /** The highest per-phase current the charger offers the car. */
  readonly offeredAmps?: number;
  readonly powerWatts?: number;
  readonly energyWh?: number;
  /** Line-to-neutral voltage on the charger's L1, L2, L3 (0 where not reported). */
  readonly volts?: PhaseAmps;
}

const SCALE: Partial<Record<(typeof UNITS)[number], number>> = { W: 1, kW: 1000, Wh: 1, kWh: 1000, A: 1, V: 1 };
const PHASE_INDEX: Partial<Record<(typeof SAMPLED_PHASES)[number], 0 | 1 | 2>> = {
  L1: 0,
  L2: 1,
  L3: 2,
  'L1-N': 0,
  'L2-N': 1,
  'L3-N': 2,
};
const DEFAULT_UNIT: Partial<Record<Measurand, (typeof UNITS)[number]>> = {
  'Current.Import': 'A',
  'Current.Offered': 'A',
  'Power.Active.Import': 'W',
  'Energy.Active.Import.Register': 'Wh',
  Voltage: 'V',
};

/** Per-phase accumulator: phased values land on their phase, an unphased value on every phase the charger has. */
class PhaseValues {
  private readonly phased: [number, number, number] = [0, 0, 0];
  private hasPhased = false;
  private unphased: number | undefined;

  add(value: number, phase: SampledValue['phase']): void {
    const index = phase === undefined ? undefined : PHASE_INDEX[phase];
    if (phase === undefined) this.unphased = value;
    else if (index !== undefined) {
      this.phased[index] = value;
      this.hasPhased = true;
    }
  }

  result(chargerPhases: 1 | 3): PhaseAmps | undefined {
    if (this.hasPhased) return [...this.phased];
    if (this.unphased === undefined) return undefined;
    return chargerPhases === 1 ? [this.unphased, 0, 0] : [this.unphased, this.unphased, this.unphased];
  }

  total(): number | undefined {
    if (this.unphased !== undefined) return this.unphased;
    return this.hasPhased ? this.phased[0] + this.phased[1] + this.phased[2] : undefined;
  }
}

/** Converts a sampled value to the base unit (A, W, Wh, V), or undefined for values we do not use. */
function baseValue(sample: SampledValue, measurand: Measurand): number | undefined {
  const unit = sample.unit ?? DEFAULT_UNIT[measurand];
  const scale = unit === undefined ? undefined : SCALE[unit];
  const value = Number(sample.value);
  if (scale === undefined || sample.format === 'SignedData' || !Number.isFinite(value)) return undefined;
  return value * scale;
}

/**
 * Reduces OCPP meter values to one sample, taking the latest meterValue entry.
 * Unphased currents count on L1 for a 1-phase charger and on every phase for a 3-phase one; EV-side readings are ignored.
 */
export function parseMeterSample(meterValues: readonly MeterValue[], chargerPhases: 1 | 3): MeterSample | undefined {
  const latest = meterValues.reduce<MeterValue | undefined>(
    (best, mv) => (best === undefined || mv.timestamp >= best.timestamp ? mv : best),
    undefined,
  );
  if (latest === undefined) return undefined;
  const current = new PhaseValues();
  const voltage = new PhaseValues();
  const power = new PhaseValues();
  let offeredAmps: number | undefined;
  let energyWh: number | undefined;
  for (const sample of latest.sampledValue) {
    const measurand = sample.measurand ?? 'Energy.Active.Import.Register';
    if (sample.location === 'EV') continue;
    const value = baseValue(sample, measurand);
    if (value === undefined) continue;
    if (measurand === 'Current.Import') current.add(value, sample.phase);
    else if (measurand === 'Voltage') voltage.add(value, sample.phase);
    else if (measurand === 'Power.Active.Import') power.add(value, sample.phase);
    else if (measurand === 'Current.Offered') offeredAmps = Math.max(offeredAmps ?? 0, value);
    else if (measurand === 'Energy.Active.Import.Register' && sample.phase === undefined) energyWh = value;
  }
  const amps = current.result(chargerPhases);
  const volts = voltage.result(chargerPhases);
  const powerWatts = power.total();
  return {
    at: latest.timestamp,
    ...(amps && {
      measurement: { amps: [Math.max(0, amps[0]), Math.max(0, amps[1]), Math.max(0, amps[2])], at: latest.timestamp },
    }),
    ...(offeredAmps !== undefined && { offeredAmps }),
    ...(powerWatts !== undefined && { powerWatts }),
    ...(energyWh !== undefined && { energyWh }),
    ...(volts && { volts }),
  };
}
