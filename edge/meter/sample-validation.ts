/** Judges whether one poll's values are believable. Pure. */
import type { METER_FAULT_MESSAGES } from '../../shared/meter-faults';
import type { MessageRef } from '../../shared/server-messages';
import { importAmps } from './import-amps';
import type { Plausibility } from './meter-config';
import type { MeterValues, PhaseTriple } from './register-decoder';

const PHASE = ['L1', 'L2', 'L3'] as const;
/** Slack on the power and energy bounds derived from maxVolts and maxAmps. */
const SLACK = 1.5;
/** Active power may not exceed volts × amps by more than this share plus `POWER_TOLERANCE_WATTS` (rounding, timing). */
const POWER_TOLERANCE_SHARE = 0.1;
const POWER_TOLERANCE_WATTS = 50;

type Quantity = keyof typeof METER_FAULT_MESSAGES.quantity;
/** A rule's verdict on one value: why it fails, said of the quantity and value (filled in by `check`). */
type Rule = (n: number) => MessageRef | undefined;

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
): MessageRef | undefined {
  const maxPhaseWatts = limits.maxVolts * limits.maxAmps * SLACK;
  const above =
    (maximum: number): Rule =>
    (n) =>
      Math.abs(n) > maximum ? { reason: 'meterFault.above', params: { maximum: Math.round(maximum) } } : undefined;
  return (
    firstFailure(
      values.volts,
      'volts',
      () => (v) =>
        v < limits.minVolts || v > limits.maxVolts
          ? { reason: 'meterFault.outside', params: { minimum: limits.minVolts, maximum: limits.maxVolts } }
          : undefined,
    ) ??
    firstFailure(values.amps, 'amps', (i) => (a) => currentFailure(a, values.watts[i], limits.maxAmps)) ??
    firstFailure(values.watts, 'watts', () => above(maxPhaseWatts)) ??
    check('totalWatts', undefined, values.totalWatts, above(3 * maxPhaseWatts)) ??
    check('importWh', undefined, values.importWh, (wh) => (wh < 0 ? { reason: 'meterFault.negative' } : undefined)) ??
    firstFailure(values.watts, 'watts', (i) => (w) => powerFailure(w, values.volts[i], values.amps[i])) ??
    (previous === undefined ? undefined : jump(values, previous, limits, elapsedMs ?? 0))
  );
}

function currentFailure(amps: number, watts: number, maxAmps: number): MessageRef | undefined {
  if (amps < 0 && !(watts < 0)) return { reason: 'meterFault.negativeWithoutExport', params: { watts: round(watts) } };
  return Math.abs(amps) > maxAmps ? { reason: 'meterFault.above', params: { maximum: maxAmps } } : undefined;
}

/** Active power cannot exceed apparent power; a wrong sign or size here would misjudge the direction of the current. */
function powerFailure(watts: number, volts: number, amps: number): MessageRef | undefined {
  const apparent = volts * Math.abs(amps);
  return Math.abs(watts) > apparent * (1 + POWER_TOLERANCE_SHARE) + POWER_TOLERANCE_WATTS
    ? { reason: 'meterFault.aboveApparent', params: { apparent: round(apparent) } }
    : undefined;
}

function jump(
  values: MeterValues,
  previous: MeterValues,
  limits: Plausibility,
  elapsedMs: number,
): MessageRef | undefined {
  const now = importAmps(values);
  const before = importAmps(previous);
  for (let i = 0; i < 3; i++) {
    // Both the magnitude and the import-direction current: a glitch in the power's sign moves only the latter.
    const step = Math.max(
      Math.abs(Math.abs(values.amps[i]!) - Math.abs(previous.amps[i]!)),
      Math.abs(now[i]! - before[i]!),
    );
    if (step > limits.maxStepAmps)
      return {
        reason: 'meterFault.jumped',
        params: { phase: PHASE[i]!, step: round(step), limit: limits.maxStepAmps },
      };
  }
  const gainedWh = values.importWh - previous.importWh;
  if (gainedWh < 0) return { reason: 'meterFault.energyBackwards', params: { wh: round(-gainedWh) } };
  const possibleWh = (3 * limits.maxVolts * limits.maxAmps * SLACK * Math.max(elapsedMs, 1000)) / 3_600_000;
  if (gainedWh > possibleWh)
    return {
      reason: 'meterFault.energyTooFast',
      params: { wh: round(gainedWh), ms: elapsedMs, possible: round(possibleWh) },
    };
  return undefined;
}

function firstFailure(
  triple: PhaseTriple,
  quantity: Quantity,
  rule: (phase: 0 | 1 | 2) => Rule,
): MessageRef | undefined {
  for (const i of [0, 1, 2] as const) {
    const failure = check(quantity, PHASE[i], triple[i], rule(i));
    if (failure !== undefined) return failure;
  }
  return undefined;
}

/** Why `value` of `quantity` (on `phase`, if of one) fails `rule`, or undefined. */
function check(quantity: Quantity, phase: string | undefined, value: number, rule: Rule): MessageRef | undefined {
  const what = {
    ref: `meterFault.quantity.${quantity}`,
    ...(phase !== undefined && { params: { phase } }),
  } as const;
  if (!Number.isFinite(value))
    return { reason: 'meterFault.notANumber', params: { quantity: what, value: String(value) } };
  const failure = rule(value);
  return failure === undefined
    ? undefined
    : { reason: failure.reason, params: { quantity: what, value: round(value), ...failure.params } };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
