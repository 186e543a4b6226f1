/**
 * The current each phase draws through a meter in the import direction, as the allocator's headroom needs it. Pure.
 *
 * A meter reports current as a magnitude (some sign it by direction); the direction comes from the sign of the phase's
 * active power. While a phase exports (a PV inverter produces more than the building uses), the cars' current first
 * cancels the export, so counting the exported amps as load would cut the cars exactly when there is surplus: with the
 * export near the fuse, they could not start at all. What cannot be cancelled is the reactive part of the current.
 */
import type { MeterValues, PhaseTriple } from './register-decoder';

/**
 * Per phase: the current magnitude while it imports; while it exports, the active export subtracted from the reactive
 * part (`x + r` with `x = watts / volts < 0`, `r = sqrt(amps² - x²)`), floored at 0.
 * Safe for the allocator's linear model: raising our chargers by the headroom this leaves (fuse - reading - margin)
 * keeps the phase current within fuse - margin whenever the reactive part alone is.
 */
export function importAmps(values: MeterValues): PhaseTriple {
  const phase = (i: 0 | 1 | 2): number => {
    const magnitude = Math.abs(values.amps[i]);
    const volts = values.volts[i];
    const watts = values.watts[i];
    if (!(watts < 0) || !(volts > 0)) return magnitude;
    const active = watts / volts;
    const reactive = Math.sqrt(Math.max(0, magnitude * magnitude - active * active));
    return Math.max(0, Math.min(magnitude, active + reactive));
  };
  return [phase(0), phase(1), phase(2)];
}
