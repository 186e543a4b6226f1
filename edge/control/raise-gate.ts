/**
 * The last check before limits go out: a raise is sent only if every metered circuit can take it. What all our
 * connectors under a circuit may then hold (limits in force after this round's cuts, chargers we do not control at
 * what they enforce, and the raises) must fit under the circuit's fuse less the safety margin and the safe estimate of
 * other load. Raises that do not fit are scaled down together, as far as they fit on the step grid, and what that holds
 * back on one phase lowers the raises on the others as far as the phase-imbalance limit needs (raise-gate-balance.ts);
 * cuts always pass.
 * What is left of a target is raised in a later round, once the safe estimate has room for it: the allocation finishes
 * a raise held back within seconds however small the rest (hysteresis.ts, `RAISE_FINISH_MS`; frozen below a step, the
 * rests kept 17 of 32 cars 0.3 A under their share for as long as the load held), and a raise smaller than a hysteresis
 * step goes out whole or not at all (a tenth at a time as the estimate's noise opens room is a change each time).
 */
import { RAISE_GATE, type Allocation, type ConnectorAllocation } from '../../shared/allocation/allocation-types';
import type { SiteTopology } from '../../shared/allocation/site-topology';
import type { Policy } from '../../shared/policy/policy-schema';
import type { PhaseAmps } from '../../shared/units';
import { balanceRaises } from './raise-gate-balance';

export interface RaiseGateInput {
  readonly topology: SiteTopology;
  /**
   * Per connector, in topology order: the limit its charger enforces now (0 where no car is), and the most its car may
   * draw now (more than that while it still follows a cut).
   */
  readonly holding: (index: number, allocated: ConnectorAllocation) => Holding;
  /** Per circuit: what our connectors under it may hold in total, per grid phase (undefined: no limit). */
  readonly room: readonly (PhaseAmps | undefined)[];
  readonly stepAmps: number;
  /** A raise smaller than this (the hysteresis step) goes out whole or not at all. */
  readonly wholeBelowAmps: number;
  /** The phase-imbalance limit the allocation kept, which what the gate holds back must not break (null: none). */
  readonly maxImbalanceAmps: number | null;
  readonly now: number;
  /** The allocation in force before this round, in the same connector order. */
  readonly previous: Allocation | undefined;
}

export interface Holding {
  readonly enforcedAmps: number;
  readonly mayDrawAmps: number;
}

/**
 * Per circuit, what our connectors under it may hold in total: a metered circuit's fuse less the margin and the safe
 * other load, any other circuit's fuse, and at the grid connection no more than a per-phase budget.
 */
export function raiseRoom(
  topology: SiteTopology,
  policy: Policy,
  safeOtherLoad: readonly { readonly circuit: number; readonly safeAmps: PhaseAmps }[],
): PhaseAmps[] {
  const control = policy.control;
  const room = topology.fuseAmps.map((fuse) => [...fuse] as [number, number, number]);
  if (control.mode === 'dynamic') {
    for (const e of safeOtherLoad)
      for (let p = 0; p < 3; p++) room[e.circuit]![p]! -= control.safetyMarginAmps + e.safeAmps[p as 0];
  }
  const root = room[topology.rootIndex]!;
  if (policy.budget.unit === 'A') for (let p = 0; p < 3; p++) root[p] = Math.min(root[p]!, policy.budget.max);
  return room;
}

/**
 * The allocation with raises cut to what the measured circuits can take (the same object when none had to be). Raises
 * share what is free in proportion, except that cars starting from nothing whose share would be under their minimum
 * (so 0) first get their minimum where it fits, longest waiting first: in proportion, a burst of arrivals at 500
 * chargers kept 133 cars at 0 for 12 s, until the others' cuts had made room for all of them at once, and the room
 * that had been free meanwhile went to nobody.
 */
export function gateRaises(allocation: Allocation, input: RaiseGateInput): Allocation {
  const { topology, room, stepAmps, now } = input;
  const circuits = topology.circuitIds.length;
  if (!room.some((r) => r !== undefined)) return allocation;
  const free = new Float64Array(circuits * 3).fill(Infinity);
  const n = allocation.connectors.length;
  const base = new Float64Array(n);
  const raise = new Float64Array(n);
  const constraints = (i: number, visit: (k: number) => void) => {
    const charger = topology.chargers[topology.connectors[i]!.chargerIndex]!;
    for (let k = 0; k < allocation.connectors[i]!.phases; k++)
      for (const c of charger.circuitPath) visit(c * 3 + charger.gridPhases[k]!);
  };
  for (let c = 0; c < circuits; c++) {
    const limit = room[c];
    if (limit !== undefined) for (let p = 0; p < 3; p++) free[c * 3 + p] = limit[p as 0];
  }
  allocation.connectors.forEach((a, i) => {
    // A raise starts from what the charger enforces; a car being cut may draw its old limit until it has followed, so
    // it keeps that room until then, and a raise counts in full on top of it.
    const { enforcedAmps, mayDrawAmps } = input.holding(i, a);
    base[i] = Math.min(a.amps, enforcedAmps);
    raise[i] = a.amps - base[i];
    const holding = Math.max(mayDrawAmps, base[i]);
    if (holding > 0) constraints(i, (k) => (free[k]! -= holding));
  });
  let fraction = shareOut(free, raise, constraints);
  if (fraction === undefined) return allocation;
  const minimum = new Float64Array(n);
  const original = raise.slice();
  const starting: number[] = [];
  for (let i = 0; i < n; i++) {
    if (raise[i]! > 0 && base[i] === 0 && fraction[i]! * raise[i]! < topology.connectors[i]!.minAmps) starting.push(i);
  }
  if (starting.length > 0) {
    const waitingSince = (i: number) => {
      const before = input.previous?.connectors[i];
      return before?.ref === allocation.connectors[i]!.ref && before.activity === 'paused' ? before.since : now;
    };
    starting.sort((a, b) => waitingSince(a) - waitingSince(b) || a - b);
    for (const i of starting) {
      const min = topology.connectors[i]!.minAmps;
      let fits = true;
      constraints(i, (k) => (fits &&= free[k]! >= min - 1e-9));
      if (fits) {
        minimum[i] = min;
        constraints(i, (k) => (free[k]! -= min));
      }
      raise[i] = fits ? raise[i]! - min : 0;
    }
    fraction = shareOut(free, raise, constraints) ?? new Float64Array(n).fill(1);
  }
  const gated = Float64Array.from(allocation.connectors, (a, i) => {
    if (original[i]! <= 0) return a.amps;
    const from = base[i]! + minimum[i]!;
    const amps = onGrid(from + Math.floor((fraction[i]! * raise[i]!) / stepAmps + 1e-9) * stepAmps);
    if (amps >= a.amps) return a.amps;
    return amps < topology.connectors[i]!.minAmps || original[i]! < input.wholeBelowAmps ? base[i]! : amps;
  });
  const balanced = balanceRaises(gated, {
    target: allocation.connectors,
    base,
    maxImbalanceAmps: input.maxImbalanceAmps,
    stepAmps,
    minAmps: (i) => topology.connectors[i]!.minAmps,
  });
  const connectors = allocation.connectors.map((a, i) => {
    if (balanced[i]! >= a.amps) return a;
    const before = input.previous?.connectors[i];
    return held(a, balanced[i]!, now, before?.ref === a.ref ? before : undefined);
  });
  return { ...allocation, connectors };
}

/**
 * The share of its raise each connector gets when every constrained circuit phase shares what is free in proportion to
 * the raises wanted under it (1 where they fit); undefined when every raise fits.
 */
function shareOut(
  free: Float64Array,
  raise: Float64Array,
  constraints: (i: number, visit: (k: number) => void) => void,
): Float64Array | undefined {
  const wanted = new Float64Array(free.length);
  raise.forEach((r, i) => {
    if (r > 0) constraints(i, (k) => (wanted[k]! += r));
  });
  const share = new Float64Array(free.length).fill(1);
  let anyShort = false;
  wanted.forEach((w, k) => {
    if (w > free[k]! + 1e-9) {
      share[k] = Math.max(0, free[k]!) / w;
      anyShort = true;
    }
  });
  if (!anyShort) return undefined;
  const fraction = new Float64Array(raise.length).fill(1);
  raise.forEach((r, i) => {
    if (r > 0) constraints(i, (k) => (fraction[i] = Math.min(fraction[i]!, share[k]!)));
  });
  return fraction;
}

/** Rounds away the float error of adding steps (7.800000000000001 must be 7.8, or it reads as a change). */
const onGrid = (amps: number): number => Math.round(amps * 1e6) / 1e6;

/** A connector's allocation with its raise held back to `amps`; times carry on from what was in force before. */
function held(
  a: ConnectorAllocation,
  amps: number,
  now: number,
  before: ConnectorAllocation | undefined,
): ConnectorAllocation {
  const scale = a.amps > 0 ? amps / a.amps : 0;
  const activity = amps > 0 ? 'active' : 'paused';
  return {
    ...a,
    amps,
    phaseAmps: [a.phaseAmps[0] * scale, a.phaseAmps[1] * scale, a.phaseAmps[2] * scale],
    activity,
    since: before?.activity === activity ? before.since : now,
    changedAt: before?.amps === amps ? before.changedAt : now,
    reason: amps > 0 ? a.reason : 'pausedNoBudget',
    boundBy: RAISE_GATE,
  };
}
