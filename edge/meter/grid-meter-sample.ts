/** What the meter driver reports once per poll, and the control loop's reading of it. */
import type { MessageRef } from '../../shared/server-messages';
import type { MeterReading } from '../../shared/site/site-state';
import type { MeterInput } from '../control/control-inputs';
import { importAmps } from './import-amps';
import type { MeterValues } from './register-decoder';

/** A poll whose values passed validation. */
export interface ValidGridMeterSample {
  readonly meterId: string;
  /** Epoch ms when the poll completed. */
  readonly at: number;
  readonly valid: true;
  readonly values: MeterValues;
}

/** A poll that failed (no answer, Modbus exception, CRC error) or returned implausible values. */
export interface InvalidGridMeterSample {
  readonly meterId: string;
  readonly at: number;
  readonly valid: false;
  /** Why, as a stable reason with parameters (shared/meter-faults.ts): English for logs, a page's language on the dashboard. */
  readonly fault: MessageRef;
  /** The decoded values when the meter answered but they were implausible. */
  readonly values?: MeterValues;
}

export type GridMeterSample = ValidGridMeterSample | InvalidGridMeterSample;

/**
 * The shared site-state reading of a sample: per phase, the current in the import direction (see `importAmps`; an
 * exporting phase reads less, down to 0). An invalid sample carries zero amps and `valid: false`.
 */
export function toMeterReading(sample: GridMeterSample): MeterReading {
  const amps = sample.valid ? importAmps(sample.values) : ([0, 0, 0] as const);
  return { meterId: sample.meterId, at: Math.round(sample.at), amps: [amps[0], amps[1], amps[2]], valid: sample.valid };
}

/** The control loop's input for a sample: its reading and import, or why it is invalid. */
export function toMeterInput(sample: GridMeterSample): MeterInput {
  if (!sample.valid) return { reading: toMeterReading(sample), fault: sample.fault };
  // Exported power (negative) imports nothing; a meter without an import register reads 0 there.
  const gridImport = { watts: Math.max(0, sample.values.totalWatts), registerWh: Math.max(0, sample.values.importWh) };
  return { reading: toMeterReading(sample), fault: undefined, gridImport };
}
