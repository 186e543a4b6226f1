/**
 * GetCompositeSchedule answered for a charger behind the agent: what is really in force on a connector over a window,
 * the lowest of our limit (lease, then fail-safe), the CSMS's stack and the charger's maximum, as OCPP 1.6
 * GetCompositeSchedule.conf.
 */
import type { CommandResponse } from '../ocpp/central-system-commands';
import { scheduleLimit } from '../ocpp/charging-profile-builder';
import type { ChargingRateUnit } from '../ocpp/charging-profile';
import { ocppDateTime } from '../ocpp/ocpp-values';
import { limitInForce } from './composite-limit';
import type { CeilingStep } from './csms-stack';

/** Our own limit from `at` on (the lease until it expires, then the fail-safe). */
export interface SiteStep {
  readonly at: number;
  readonly amps: number;
}

export interface CompositeRequest {
  readonly connectorId: number;
  /** When the request arrived: the schedule starts here. */
  readonly from: number;
  readonly durationSeconds: number;
  readonly chargingRateUnit: ChargingRateUnit;
  /** Our limit over the window, in time order; the first step at or before `from`. */
  readonly ours: readonly SiteStep[];
  /** The CSMS's limit over the window (CsmsLimits.ceilingSteps). */
  readonly csms: readonly CeilingStep[];
  readonly chargerMaxAmps: number;
  /** The phases the connector charges on (the car's, else the charger's). */
  readonly phases: 1 | 2 | 3;
  readonly minAmps: number;
  readonly nominalVolts: number;
}

/** The last step at or before `at`. */
function stepAt<T extends { readonly at: number }>(steps: readonly T[], at: number): T | undefined {
  let found: T | undefined;
  for (const step of steps) {
    if (step.at > at) break;
    found = step;
  }
  return found;
}

/** The limit in force on the connector over [from, from + duration), one period per change. */
export function compositeSchedule(request: CompositeRequest): CommandResponse<'GetCompositeSchedule'> {
  const { from, durationSeconds, chargingRateUnit, phases: connectorPhases } = request;
  const to = from + durationSeconds * 1000;
  const changes = [...request.ours, ...request.csms].map((s) => s.at).filter((at) => at > from && at < to);
  const instants = [from, ...new Set(changes)].sort((a, b) => a - b);
  const periods: { startPeriod: number; limit: number; numberPhases: number }[] = [];
  for (const at of instants) {
    const csms = stepAt(request.csms, at)?.ceiling;
    const phases = Math.min(connectorPhases, csms?.phases ?? 3) as 1 | 2 | 3;
    const amps = limitInForce({
      siteAmps: stepAt(request.ours, at)?.amps ?? request.chargerMaxAmps,
      csmsAmps: csms?.amps,
      chargerMaxAmps: request.chargerMaxAmps,
      minAmps: request.minAmps,
    });
    const limit = scheduleLimit(
      { amps, phases, minAmps: request.minAmps },
      { rateUnit: chargingRateUnit, nominalVolts: request.nominalVolts },
    );
    const startPeriod = Math.floor((at - from) / 1000);
    const last = periods.at(-1);
    if (last?.startPeriod === startPeriod) periods.pop();
    const previous = periods.at(-1);
    if (previous?.limit !== limit || previous.numberPhases !== phases)
      periods.push({ startPeriod, limit, numberPhases: phases });
  }
  const start = ocppDateTime(from);
  return {
    status: 'Accepted',
    connectorId: request.connectorId,
    scheduleStart: start,
    chargingSchedule: {
      duration: durationSeconds,
      startSchedule: start,
      chargingRateUnit,
      chargingSchedulePeriod: periods,
    },
  };
}
