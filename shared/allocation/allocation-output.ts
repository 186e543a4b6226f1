/** Turns the allocator's working arrays into the Allocation people and chargers see. */
import type { Policy } from '../policy/policy-schema';
import type { PhaseAmps } from '../units';
import type {
  Allocation,
  AllocationReason,
  CircuitLoad,
  ConnectorActivity,
  ConnectorAllocation,
} from './allocation-types';
import { isReserved, Role, type ConnectorDemand } from './connector-demand';
import { activityCode, emptyRound, PrevActivity, type PreviousRound } from './previous-round';
import type { SiteModel } from './site-model';
import type { ConstraintLimits } from './constraint-limits';
import type { ConstraintLayout } from './constraint-set';
import type { PauseReason } from './pause-selection';
import { sumPerCircuit } from './site-topology';
import { BOUND_BY_OWN_MAX } from './fill-run';
import { addAt, f64, i32, u8 } from './typed-access';

export interface Outcome {
  readonly active: Uint8Array;
  readonly steps: Int32Array;
  readonly boundBy: Int32Array;
  readonly pauseReason: readonly (PauseReason | undefined)[];
  readonly balanced: Uint8Array;
  readonly held: Uint8Array;
}

/**
 * One connector's allocation. Built by a constructor rather than an object literal: V8 moves the objects of a
 * literal whose objects outlive a scavenge straight into the old generation ("pretenuring"), which made building
 * 10,000 of them about twice as slow; objects from a constructor stay young and cheap.
 */
class ConnectorResult implements ConnectorAllocation {
  constructor(
    readonly ref: string,
    readonly chargerId: string,
    readonly connectorId: number,
    readonly amps: number,
    readonly phaseAmps: PhaseAmps,
    readonly phases: 1 | 2 | 3,
    readonly activity: ConnectorActivity,
    readonly since: number,
    readonly changedAt: number,
    readonly reason: AllocationReason,
    readonly vip: boolean,
    readonly priority: number,
    readonly boundBy: string | undefined,
    readonly carCapAmps: number | undefined,
  ) {}
}

/** Builds the allocation for `now` from the round's outcome, and its arrays for the round that gets it back as previous. */
export function buildAllocation(
  model: SiteModel,
  demand: ConnectorDemand,
  limits: ConstraintLimits,
  outcome: Outcome,
  policy: Policy,
  now: number,
  vectors: PhaseVectors,
): { readonly allocation: Allocation; readonly round: PreviousRound } {
  const { topology, layout, labelOf } = model;
  const step = policy.granularityAmps;
  // Steps per charger and phase first, then per circuit: a charger's connectors share its circuit path.
  const chargerSteps = new Float64Array(topology.chargers.length * 3);
  const lowestActiveClass = lowestClass(demand, outcome.active);
  const previous = demand.previous;
  const carried = emptyRound(demand.n);
  const connectors = topology.connectors.map((c, i): ConnectorAllocation => {
    const role = u8(demand.role, i);
    const amountSteps = outcome.active[i] ? i32(outcome.steps, i) : isReserved(role) ? i32(demand.reservedSteps, i) : 0;
    const amps = toAmps(amountSteps, step);
    const mask = u8(demand.phaseMask, i);
    // An offline charger's default holds on its phases the car does not use (reserved there too: idleReservedSteps).
    const idleSteps = outcome.active[i] ? 0 : i32(demand.idleReservedSteps, i);
    const idleMask = idleSteps > 0 ? chargerMask(topology, c.chargerIndex) & ~mask : 0;
    const phaseAmps =
      idleMask === 0
        ? vectors.of(mask, amps)
        : sumOf(vectors.of(mask, amps), vectors.of(idleMask, toAmps(idleSteps, step)));
    const at = c.chargerIndex * 3;
    for (let p = 0; p < 3; p++) {
      const stepsOn = mask & (1 << p) ? amountSteps : idleMask & (1 << p) ? idleSteps : 0;
      if (stepsOn > 0) addAt(chargerSteps, at + p, stepsOn);
    }
    const activity: ConnectorActivity = role === Role.Idle ? 'idle' : amps > 0 ? 'active' : 'paused';
    const code = activityCode(activity);
    // A car the last top-up (or a trade) took to its own maximum is held by that maximum, whatever stopped its fill.
    const bound =
      outcome.active[i] && i32(outcome.steps, i) >= i32(demand.maxSteps, i)
        ? BOUND_BY_OWN_MAX
        : i32(outcome.boundBy, i);
    const boundBy = !outcome.active[i]
      ? undefined
      : bound >= 0
        ? labelOf(bound)
        : bound === BOUND_BY_OWN_MAX
          ? demand.cappedByCar[i]
            ? 'car'
            : 'charger'
          : undefined;
    const since = previous.activity[i] === code ? f64(previous.since, i) : now;
    const changedAt =
      previous.activity[i] !== PrevActivity.None && previous.amps[i] === amps ? previous.changedAt[i]! : now;
    carried.activity[i] = code;
    carried.amps[i] = amps;
    carried.since[i] = since;
    carried.changedAt[i] = changedAt;
    carried.phases[i] = u8(demand.phaseCount, i);
    carried.carCapAmps[i] = f64(demand.carCapAmps, i);
    const reason = reasonOf(i, demand, limits, layout, outcome, policy, lowestActiveClass, topology);
    carried.freeToResume[i] = reason === 'pausedMeterLost' ? 1 : 0;
    return new ConnectorResult(
      c.ref,
      c.chargerId,
      c.connectorId,
      amps,
      phaseAmps,
      demand.phaseCount[i] as 1 | 2 | 3,
      activity,
      since,
      changedAt,
      reason,
      demand.vip[i] === 1,
      i32(demand.priority, i),
      boundBy,
      f64(demand.carCapAmps, i) > 0 ? demand.carCapAmps[i] : undefined,
    );
  });
  const circuitSteps = sumPerCircuit(topology, chargerSteps);
  const ampsOf = (steps: Float64Array, at: number): PhaseAmps => [
    toAmps(f64(steps, at), step),
    toAmps(f64(steps, at + 1), step),
    toAmps(f64(steps, at + 2), step),
  ];
  const circuits = topology.circuitIds.map((id, c): CircuitLoad => {
    const other = limits.otherLoadAmps[c];
    return {
      id,
      limitAmps: limits.circuitLimitAmps[c]!,
      allocatedAmps: ampsOf(circuitSteps, c * 3),
      meter: limits.meter[c]!,
      ...(other ? { otherLoadAmps: other } : {}),
    };
  });
  // Every charger is under the grid connection, so its load is the chargers' total.
  const allocation = {
    at: now,
    connectors,
    circuits,
    budget: limits.budget,
    totalAmps: ampsOf(circuitSteps, topology.rootIndex * 3),
  };
  return { allocation, round: carried };
}

function reasonOf(
  i: number,
  demand: ConnectorDemand,
  limits: ConstraintLimits,
  layout: ConstraintLayout,
  outcome: Outcome,
  policy: Policy,
  lowestActiveClass: number,
  topology: SiteModel['topology'],
): AllocationReason {
  const role = demand.role[i];
  if (role === Role.Idle) return 'idle';
  if (role === Role.Offline) return 'offline';
  if (role === Role.Unresponsive) return 'unresponsive';
  if (role === Role.Unconfigured) return 'unconfigured';
  if (!outcome.active[i]) {
    if (outcome.balanced[i]) return 'imbalanceLimited';
    const reason = outcome.pauseReason[i] ?? 'pausedNoBudget';
    const charger = topology.chargers[topology.connectors[i]?.chargerIndex ?? -1];
    const path = charger?.circuitPath ?? [];
    return reason === 'pausedNoBudget' && path.some((c) => limits.meter[c] === 'lost') ? 'pausedMeterLost' : reason;
  }
  if (outcome.held[i]) return 'hysteresis';
  const bound = i32(outcome.boundBy, i);
  const atMax = i32(outcome.steps, i) >= i32(demand.maxSteps, i);
  if (!atMax && bound >= 0 && bound < layout.chargerBase && limits.meter[Math.floor(bound / 3)] === 'lost')
    return 'failSafe';
  if (demand.vip[i]) return 'vip';
  if (atMax) return demand.cappedByCar[i] ? 'cappedByCar' : 'cappedByCharger';
  if (outcome.balanced[i] || (bound >= layout.imbalanceBase && bound < layout.imbalanceBase + 3))
    return 'imbalanceLimited';
  if (policy.distribution !== 'equal' && i32(demand.klass, i) > lowestActiveClass) return 'priority';
  return 'fairShare';
}

const ZERO = Object.freeze<PhaseAmps>([0, 0, 0]);

/** Phase vectors are immutable, so connectors with the same phases and amps share one (most sites have few distinct ones). */
/** The grid phases a charger is wired to, as a bit mask. */
function chargerMask(topology: SiteModel['topology'], chargerIndex: number): number {
  const charger = topology.chargers[chargerIndex];
  let mask = 0;
  for (const p of charger?.gridPhases.slice(0, charger.phases) ?? []) mask |= 1 << p;
  return mask;
}

const sumOf = (a: PhaseAmps, b: PhaseAmps): PhaseAmps => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];

export class PhaseVectors {
  private readonly known = new Map<number, PhaseAmps>();

  /** The shared vector of `amps` on the grid phases of `mask`. */
  of(mask: number, amps: number): PhaseAmps {
    if (amps === 0) return ZERO;
    const key = Math.round(amps * 10) * 8 + mask;
    let vector = this.known.get(key);
    if (!vector) {
      if (this.known.size > 50_000) this.known.clear();
      vector = Object.freeze<PhaseAmps>([mask & 1 ? amps : 0, mask & 2 ? amps : 0, mask & 4 ? amps : 0]);
      this.known.set(key, vector);
    }
    return vector;
  }
}

function lowestClass(demand: ConnectorDemand, active: Uint8Array): number {
  let lowest = Infinity;
  for (let i = 0; i < demand.n; i++) if (active[i] && i32(demand.klass, i) < lowest) lowest = i32(demand.klass, i);
  return lowest;
}

/** Steps to amps, rounded to the 0.1 A that every granularity is a multiple of (no float tails like 7.300000001). */
function toAmps(steps: number, step: number): number {
  return Math.round(steps * step * 10) / 10;
}
