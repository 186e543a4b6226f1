/**
 * What peak-demand control gives the chargers at a given moment of a demand period, for the installer's allocate
 * command and the cloud's allocation preview: the period's target, the chargers' power cap for the rest of the period
 * and the period's forecast, by the controller's own arithmetic (`demand-budget.ts`) at the first round of the period
 * state given (no earlier cap to hold calm).
 */
import { z } from 'zod';
import type { FieldIssue } from '../errors';
import type { Policy } from '../policy/policy-schema';
import { reasonedIssue } from '../reasoned-issue';
import { budgetFloorW, DEMAND_MIN_LEFT_MS, demandRoom, periodTargetKw } from './demand-budget';

const kw = z.number().finite().nonnegative().max(100_000);

/** A moment of a demand period, as the installer imagines it. */
export const DemandPeriodStateSchema = z
  .object({
    /** The period's average import so far (kW). */
    averageSoFarKw: kw,
    /** How far into the period (seconds); less than the policy's `demandControl.periodMinutes`. */
    secondsIntoPeriod: z.number().finite().nonnegative().max(3_600),
    /** The other load (the building, not the chargers), taken to stay so until the period's end (kW). */
    otherKw: kw,
    /** The month's highest period average so far (kW), which `followMonthPeak` keeps to; none by default. */
    monthPeakKw: kw.default(0),
  })
  .strict();
export type DemandPeriodStateInput = z.input<typeof DemandPeriodStateSchema>;
export type DemandPeriodState = z.output<typeof DemandPeriodStateSchema>;

export interface DemandPreview extends DemandPeriodState {
  readonly periodMinutes: number;
  readonly targetKw: number;
  /** The chargers' total power for the rest of the period (kW), the budget's `min` kept. */
  readonly chargersCapKw: number;
  /** The period's average (kW) if the other load stays and the chargers take all of their cap. */
  readonly forecastKw: number;
}

export type DemandPreviewResult = { ok: true; preview: DemandPreview } | { ok: false; issue: FieldIssue };

/** The chargers' cap for `state` under `policy`; `path` names the state in a refusal. */
export function demandPreview(
  policy: Policy,
  state: DemandPeriodState,
  nominalVolts: number,
  path: string,
): DemandPreviewResult {
  const demand = policy.demandControl;
  if (!demand.enabled) return { ok: false, issue: reasonedIssue(path, { reason: 'demand.previewNoDemand' }) };
  const periodMs = demand.periodMinutes * 60_000;
  if (state.secondsIntoPeriod * 1000 >= periodMs) {
    const said = { reason: 'demand.previewPastPeriod', params: { seconds: periodMs / 1000 } } as const;
    return { ok: false, issue: reasonedIssue(`${path}.secondsIntoPeriod`, said) };
  }
  const targetKw = periodTargetKw(demand, state.monthPeakKw);
  const now = state.secondsIntoPeriod * 1000;
  const room = demandRoom({
    period: { start: 0, end: periodMs, month: '' },
    now,
    targetKw,
    marginKw: demand.marginKw,
    importedWh: (state.averageSoFarKw * 1000 * now) / 3_600_000,
    otherWatts: state.otherKw * 1000,
    minLeftMs: DEMAND_MIN_LEFT_MS,
  });
  const capW = Math.max(room.chargerWatts, budgetFloorW(policy, nominalVolts));
  return {
    ok: true,
    preview: {
      ...state,
      periodMinutes: demand.periodMinutes,
      targetKw,
      chargersCapKw: capW / 1000,
      forecastKw: room.forecastKw,
    },
  };
}
