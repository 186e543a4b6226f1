/** Judges whether one poll's values are believable. Pure. */
import { importAmps } from './import-amps';
import type { Plausibility } from './meter-config';
import type { MeterValues, PhaseTriple } from './register-decoder';

const PHASE = ['L1', 'L2', 'L3'] as const;
/** Slack on the power and energy bounds derived from maxVolts and maxAmps. */
const SLACK = 1.5;
/** Active power may not exceed volts × amps by more than this share plus `POWER_TOLERANCE_WATTS` (rounding, timing). */
const POWER_TOLERANCE_SHARE = 0.1;
const POWER_TOLERANCE_WATTS = 50;

/**
 * Returns why `values` are implausible, or undefined when they are fine.
 * `previous` is the last decoded poll (valid or not) and `elapsedMs` the time since it: a single glitch is rejected,
 * and a genuine step is accepted from the second poll that confirms it.
 * Exported power is negative; a negative current is accepted on an exporting phase only (meters that sign current by direction).
 */
export function implausibility(
  values: MeterValues,
  limits: Plausibility,
  previous?: MeterValues,
  elapsedMs?: number,
): string | undefined {
  const maxPhaseWatts = limits.maxVolts * limits.maxAmps * SLACK;
  return (
    firstFailure(values.volts, 'volts', (v) =>
      v < limits.minVolts || v > limits.maxVolts ? `outside ${limits.minVolts}..${limits.maxVolts}` : undefined,
    ) ??
    firstFailure(values.amps, 'amps', (a, i) => currentFailure(a, values.watts[i], limits.maxAmps)) ??
    firstFailure(values.watts, 'watts', (w) =>
      Math.abs(w) > maxPhaseWatts ? `beyond ${Math.round(maxPhaseWatts)}` : undefined,
    ) ??
    check('total watts', values.totalWatts, (w) =>
      Math.abs(w) > 3 * maxPhaseWatts ? `beyond ${Math.round(3 * maxPhaseWatts)}` : undefined,
    ) ??
    check('import Wh', values.importWh, (wh) => (wh < 0 ? 'is negative' : undefined)) ??
    firstFailure(values.watts, 'watts', (w, i) => powerFailure(w, values.volts[i], values.amps[i])) ??
    (previous === undefined ? undefined : jump(values, previous, limits, elapsedMs ?? 0))
  );
}

function currentFailure(amps: number, watts: number, maxAmps: number): string | undefined {
  if (amps < 0 && !(watts < 0)) return `is negative but the phase does not export (${round(watts)} W)`;
  return Math.abs(amps) > maxAmps ? `above ${maxAmps}` : undefined;
}

/** Active power cannot exceed apparent power; a wrong sign or size here would misjudge the direction of the current. */
function powerFailure(watts: number, volts: number, amps: number): string | undefined {
  const apparent = volts * Math.abs(amps);
  return Math.abs(watts) > apparent * (1 + POWER_TOLERANCE_SHARE) + POWER_TOLERANCE_WATTS
    ? `exceed volts × amps (${round(apparent)} VA)`
    : undefined;
}

function jump(values: MeterValues, previous: MeterValues, limits: Plausibility, elapsedMs: number): string | undefined {
  const now = importAmps(values);
  const before = importAmps(previous);
  for (let i = 0; i < 3; i++) {
    // Both the magnitude and the import-direction current: a glitch in the power's sign moves only the latter.
    const step = Math.max(
      Math.abs(Math.abs(values.amps[i]!) - Math.abs(previous.amps[i]!)),
      Math.abs(now[i]! - before[i]!),
    );
    if (step > limits.maxStepAmps)
      return `${PHASE[i]} amps jumped by ${round(step)} since the last poll (limit ${limits.maxStepAmps})`;
  }
  const gainedWh = values.importWh - previous.importWh;
  if (gainedWh < 0) return `import Wh went backwards by ${round(-gainedWh)}`;
  const possibleWh = (3 * limits.maxVolts * limits.maxAmps * SLACK * Math.max(elapsedMs, 1000)) / 3_600_000;
  if (gainedWh > possibleWh)
    return `import Wh rose by ${round(gainedWh)} in ${elapsedMs} ms, more than ${round(possibleWh)} is possible`;
  return undefined;
}

function firstFailure(
  triple: PhaseTriple,
  what: string,
  rule: (n: number, phase: 0 | 1 | 2) => string | undefined,
): string | undefined {
  for (const i of [0, 1, 2] as const) {
    const failure = check(`${PHASE[i]} ${what}`, triple[i], (n) => rule(n, i));
    if (failure !== undefined) return failure;
  }
  return undefined;
}

function check(what: string, value: number, rule: (n: number) => string | undefined): string | undefined {
  if (!Number.isFinite(value)) return `${what} is ${value}`;
  const failure = rule(value);
  return failure === undefined ? undefined : `${what} ${round(value)} ${failure}`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
