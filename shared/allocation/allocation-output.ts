/** Turns the allocator's working arrays into the Allocation people and chargers see. */
import type { Policy } from '../policy/policy-schema';
import type { PhaseAmps } from '../units';
import type { Allocation, AllocationReason, CircuitLoad, ConnectorActivity, ConnectorAllocation } from './allocation-types';
import { isReserved, Role, type ConnectorDemand } from './connector-demand';
import type { ConstraintLimits } from './constraint-limits';
import { ConstraintLabels, type ConstraintLayout } from './constraint-set';
import type { PauseReason } from './pause-selection';
import type { SiteTopology } from './site-topology';
import { BOUND_BY_OWN_MAX } from './water-fill';

export interface Outcome {
  readonly active: Uint8Array;
  readonly steps: Int32Array;
  readonly boundBy: Int32Array;
  readonly pauseReason: readonly (PauseReason | undefined)[];
  readonly balanced: Uint8Array;
  readonly held: Uint8Array;
}

/** Builds the allocation for `now` from the round's outcome. */
export function buildAllocation(
  topology: SiteTopology,
  layout: ConstraintLayout,
  demand: ConnectorDemand,
  limits: ConstraintLimits,
  outcome: Outcome,
  policy: Policy,
  now: number,
): Allocation {
  const step = policy.granularityAmps;
  const circuitTotals = topology.circuitIds.map((): [number, number, number] => [0, 0, 0]);
  const total: [number, number, number] = [0, 0, 0];
  const lowestActiveClass = lowestClass(demand, outcome.active);
  const labels = new ConstraintLabels(topology, layout);
  const connectors = topology.connectors.map((c, i): ConnectorAllocation => {
    const role = demand.role[i];
    const amountSteps = outcome.active[i] ? outcome.steps[i]! : isReserved(role!) ? demand.reservedSteps[i]! : 0;
    const amps = Math.round(amountSteps * step * 10) / 10;
    const mask = demand.phaseMask[i]!;
    const phaseAmps = sharedPhaseAmps(mask, amps);
    if (amps > 0) {
      for (const circuit of topology.chargers[c.chargerIndex]!.circuitPath) {
        const load = circuitTotals[circuit]!;
        for (let p = 0; p < 3; p++) load[p]! += phaseAmps[p as 0 | 1 | 2];
      }
      for (let p = 0; p < 3; p++) total[p]! += phaseAmps[p as 0 | 1 | 2];
    }
    const activity: ConnectorActivity = role === Role.Idle ? 'idle' : amps > 0 ? 'active' : 'paused';
    const prev = demand.previous[i];
    const bound = outcome.boundBy[i]!;
    const boundBy = !outcome.active[i] ? undefined : bound >= 0 ? labels.of(bound) : bound === BOUND_BY_OWN_MAX ? (demand.cappedByCar[i] ? 'car' : 'charger') : undefined;
    return {
      ref: c.ref,
      chargerId: c.chargerId,
      connectorId: c.connectorId,
      amps,
      phaseAmps,
      phases: demand.phaseCount[i] as 1 | 2 | 3,
      activity,
      since: prev && prev.activity === activity ? prev.since : now,
      changedAt: prev && prev.amps === amps ? prev.changedAt : now,
      reason: reasonOf(i, demand, limits, layout, outcome, policy, lowestActiveClass),
      vip: demand.vip[i] === 1,
      priority: demand.priority[i]!,
      boundBy,
    };
  });
  const circuits = topology.circuitIds.map((id, c): CircuitLoad => {
    const other = limits.otherLoadAmps[c];
    return {
      id,
      limitAmps: limits.circuitLimitAmps[c]!,
      allocatedAmps: roundAmps(circuitTotals[c]!),
      meter: limits.meter[c]!,
      ...(other ? { otherLoadAmps: other } : {}),
    };
  });
  return { at: now, connectors, circuits, budget: limits.budget, totalAmps: roundAmps(total) };
}

function reasonOf(
  i: number,
  demand: ConnectorDemand,
  limits: ConstraintLimits,
  layout: ConstraintLayout,
  outcome: Outcome,
  policy: Policy,
  lowestActiveClass: number,
): AllocationReason {
  const role = demand.role[i];
  if (role === Role.Idle) return 'idle';
  if (role === Role.Offline) return 'offline';
  if (role === Role.Unresponsive) return 'unresponsive';
  if (!outcome.active[i]) return outcome.balanced[i] ? 'imbalanceLimited' : (outcome.pauseReason[i] ?? 'pausedNoBudget');
  if (outcome.held[i]) return 'hysteresis';
  const bound = outcome.boundBy[i]!;
  const atMax = outcome.steps[i]! >= demand.maxSteps[i]!;
  if (!atMax && bound >= 0 && bound < layout.chargerBase && limits.meter[Math.floor(bound / 3)] === 'lost') return 'failSafe';
  if (demand.vip[i]) return 'vip';
  if (atMax) return demand.cappedByCar[i] ? 'cappedByCar' : 'cappedByCharger';
  if (outcome.balanced[i] || (bound >= layout.imbalanceBase && bound < layout.imbalanceBase + 3)) return 'imbalanceLimited';
  if (policy.distribution === 'priority' && demand.klass[i]! > lowestActiveClass) return 'priority';
  return 'fairShare';
}

/** Phase vectors are immutable, so connectors with the same phases and amps share one (most sites have few distinct ones). */
const phaseAmpsCache = new Map<number, PhaseAmps>();
const ZERO = Object.freeze<PhaseAmps>([0, 0, 0]);

function sharedPhaseAmps(mask: number, amps: number): PhaseAmps {
  if (amps === 0) return ZERO;
  const key = Math.round(amps * 10) * 8 + mask;
  let vector = phaseAmpsCache.get(key);
  if (!vector) {
    if (phaseAmpsCache.size > 50_000) phaseAmpsCache.clear();
    vector = Object.freeze<PhaseAmps>([mask & 1 ? amps : 0, mask & 2 ? amps : 0, mask & 4 ? amps : 0]);
    phaseAmpsCache.set(key, vector);
  }
  return vector;
}

function lowestClass(demand: ConnectorDemand, active: Uint8Array): number {
  let lowest = Infinity;
  for (let i = 0; i < demand.n; i++) if (active[i] && demand.klass[i]! < lowest) lowest = demand.klass[i]!;
  return lowest;
}

function roundAmps(amps: readonly number[]): PhaseAmps {
  return [Math.round(amps[0]! * 10) / 10, Math.round(amps[1]! * 10) / 10, Math.round(amps[2]! * 10) / 10];
}
