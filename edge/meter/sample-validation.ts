/** Judges whether one poll's values are believable. Pure. */
import type { Plausibility } from './meter-config';
import type { MeterValues, PhaseTriple } from './register-decoder';

const PHASE = ['L1', 'L2', 'L3'] as const;
/** Slack on the power and energy bounds derived from maxVolts and maxAmps. */
const SLACK = 1.5;

/**
 * Returns why `values` are implausible, or undefined when they are fine.
 * `previous` is the last decoded poll (valid or not) and `elapsedMs` the time since it: a single glitch is rejected,
 * and a genuine step is accepted from the second poll that confirms it.
 */
export function implausibility(values: MeterValues, limits: Plausibility, previous?: MeterValues, elapsedMs?: number): string | undefined {
  const maxPhaseWatts = limits.maxVolts * limits.maxAmps * SLACK;
  return (
    firstFailure(values.volts, 'volts', (v) => (v < limits.minVolts || v > limits.maxVolts ? `outside ${limits.minVolts}..${limits.maxVolts}` : undefined)) ??
    firstFailure(values.amps, 'amps', (a) => (a < 0 ? 'is negative' : a > limits.maxAmps ? `above ${limits.maxAmps}` : undefined)) ??
    firstFailure(values.watts, 'watts', (w) => (Math.abs(w) > maxPhaseWatts ? `beyond ${Math.round(maxPhaseWatts)}` : undefined)) ??
    check('total watts', values.totalWatts, (w) => (Math.abs(w) > 3 * maxPhaseWatts ? `beyond ${Math.round(3 * maxPhaseWatts)}` : undefined)) ??
    check('import Wh', values.importWh, (wh) => (wh < 0 ? 'is negative' : undefined)) ??
    (previous === undefined ? undefined : jump(values, previous, limits, elapsedMs ?? 0))
  );
}

function jump(values: MeterValues, previous: MeterValues, limits: Plausibility, elapsedMs: number): string | undefined {
  for (let i = 0; i < 3; i++) {
    const step = Math.abs(values.amps[i]! - previous.amps[i]!);
    if (step > limits.maxStepAmps) return `${PHASE[i]} amps jumped by ${round(step)} since the last poll (limit ${limits.maxStepAmps})`;
  }
  const gainedWh = values.importWh - previous.importWh;
  if (gainedWh < 0) return `import Wh went backwards by ${round(-gainedWh)}`;
  const possibleWh = (3 * limits.maxVolts * limits.maxAmps * SLACK * Math.max(elapsedMs, 1000)) / 3_600_000;
  if (gainedWh > possibleWh) return `import Wh rose by ${round(gainedWh)} in ${elapsedMs} ms, more than ${round(possibleWh)} is possible`;
  return undefined;
}

function firstFailure(triple: PhaseTriple, what: string, rule: (n: number) => string | undefined): string | undefined {
  for (let i = 0; i < 3; i++) {
    const failure = check(`${PHASE[i]} ${what}`, triple[i]!, rule);
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
