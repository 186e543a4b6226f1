/**
 * A small, slow reference allocator: plain max-min fairness in whole steps, one step at a time, written from the
 * rules in docs/allocation.md and not from the fast allocator's code. For small sites in one round without history
 * (static control, no closed loop, no previous allocation): fuses per phase through the circuit tree, chargers'
 * own limits, charger and cable maximums, the budget (per phase or kW), minimums with pausing by class then energy,
 * the phase-imbalance limit and the granularity.
 */
import { activeBudget } from '../../shared/policy/budget-schedule';
import type { Policy } from '../../shared/policy/policy-schema';
import { REQUESTING_STATUSES } from '../../shared/site/site-state';
import type { SiteSnapshot } from '../../shared/allocation/allocation-types';
import { expectedPhaseMask } from './allocation-invariants';

export const REF_VIP_CLASS = 100;

export interface RefCar {
  readonly ref: string;
  readonly index: number;
  readonly klass: number;
  readonly minSteps: number;
  readonly maxSteps: number;
  /** Grid phases (bit mask) and their count. */
  readonly mask: number;
  readonly phases: number;
  readonly energyWh: number;
}

/** A linear limit: Σ coef(car) × steps(car) + reserved ≤ capacity. */
interface RefLimit {
  readonly name: string;
  readonly capacity: number;
  readonly reserved: number;
  readonly coef: readonly number[];
}

export interface RefProblem {
  readonly cars: readonly RefCar[];
  readonly limits: readonly RefLimit[];
  /** Imbalance limit in steps (null: off) and the reserved 1- and 2-phase load per grid phase. */
  readonly imbalanceSteps: number | null;
  readonly reservedPhase: readonly [number, number, number];
  readonly strict: boolean;
}

const stepsDown = (amps: number, step: number) => Math.floor(amps / step + 1e-9);
const stepsUp = (amps: number, step: number) => Math.ceil(amps / step - 1e-9);
const popcount = (mask: number) => (mask & 1) + ((mask >> 1) & 1) + ((mask >> 2) & 1);

/** The problem a snapshot poses, for a round with static control, no closed loop and no previous allocation. */
export function referenceProblem(snapshot: SiteSnapshot, policy: Policy, now: number): RefProblem {
  const { site } = snapshot;
  const step = policy.granularityAmps;
  const cars: RefCar[] = [];
  const carCharger: string[] = [];
  const reserved: Array<{ charger: string; mask: number; steps: number }> = [];
  const reservedPhase: [number, number, number] = [0, 0, 0];
  const tagLevel = new Map<string, number>();
  const refLevel = new Map<string, number>();
  for (const level of policy.priorityLevels) {
    for (const tag of level.idTags) tagLevel.set(tag, level.level);
    for (const ref of level.connectors) refLevel.set(ref, level.level);
  }
  for (const charger of site.chargers) {
    for (const connector of charger.connectors) {
      const ref = `${charger.id}/${connector.id}`;
      const state = snapshot.connectors.find((s) => s.ref === ref);
      if (!state?.session || !REQUESTING_STATUSES.has(state.status)) continue;
      const mask = expectedPhaseMask(snapshot, policy, ref, now);
      const idTag = state.session.idTag;
      if (state.link !== 'online') {
        const steps = stepsDown(policy.failSafe.connectorAmps, step);
        reserved.push({ charger: charger.id, mask, steps });
        if (popcount(mask) < 3) for (let p = 0; p < 3; p++) if (mask & (1 << p)) reservedPhase[p]! += steps;
        // Offline, the car may leave unseen and another plug in: the default holds on the charger's other phases too.
        const idle = chargerMask(charger) & ~mask;
        if (state.link === 'offline' && idle !== 0) reserved.push({ charger: charger.id, mask: idle, steps });
        continue;
      }
      const vip =
        policy.vip.enabled &&
        ((connector.vip ?? charger.vip) ||
          policy.vip.connectors.includes(ref) ||
          (idTag !== undefined && policy.vip.idTags.includes(idTag)));
      const priority = Math.max(
        connector.priority ?? charger.priority,
        idTag === undefined ? 0 : (tagLevel.get(idTag) ?? 0),
        refLevel.get(ref) ?? 0,
      );
      const klass = vip ? REF_VIP_CLASS : policy.distribution === 'equal' ? 0 : priority;
      cars.push({
        ref,
        index: cars.length,
        klass,
        minSteps: stepsUp(connector.minAmps ?? charger.minAmps, step),
        maxSteps: stepsDown(Math.min(connector.maxAmps ?? charger.maxAmps, charger.maxAmps), step),
        mask,
        phases: popcount(mask),
        energyWh: state.session.energyWh,
      });
      carCharger.push(charger.id);
    }
  }
  const limits: RefLimit[] = [];
  const parent = new Map(site.circuits.map((c) => [c.id, c.parent]));
  const chargerCircuit = new Map(site.chargers.map((c) => [c.id, c.circuit]));
  const under = (chargerId: string, circuitId: string) => {
    for (let at: string | null | undefined = chargerCircuit.get(chargerId); at; at = parent.get(at))
      if (at === circuitId) return true;
    return false;
  };
  const perPhase = (name: string, capacity: number, p: number, includes: (chargerId: string) => boolean) => {
    const coef = cars.map((car, k) => (includes(carCharger[k]!) && car.mask & (1 << p) ? 1 : 0));
    const load = reserved.reduce((sum, r) => sum + (includes(r.charger) && r.mask & (1 << p) ? r.steps : 0), 0);
    limits.push({ name, capacity, reserved: load, coef });
  };
  for (const circuit of site.circuits) {
    const fuse =
      typeof circuit.fuseAmps === 'number' ? [circuit.fuseAmps, circuit.fuseAmps, circuit.fuseAmps] : circuit.fuseAmps;
    for (let p = 0; p < 3; p++)
      perPhase(`circuit ${circuit.id} L${p + 1}`, stepsDown(fuse[p]!, step), p, (id) => under(id, circuit.id));
  }
  for (const charger of site.chargers) {
    for (let p = 0; p < 3; p++)
      perPhase(`charger ${charger.id} L${p + 1}`, stepsDown(charger.maxAmps, step), p, (id) => id === charger.id);
  }
  const budget = activeBudget(policy, now, site.timezone).value;
  if (policy.budget.unit === 'A') {
    for (let p = 0; p < 3; p++) perPhase(`budget L${p + 1}`, stepsDown(budget, step), p, () => true);
  } else {
    const load = reserved.reduce((sum, r) => sum + popcount(r.mask) * r.steps, 0);
    limits.push({
      name: 'budget kW',
      capacity: stepsDown((budget * 1000) / site.nominalVolts, step),
      reserved: load,
      coef: cars.map((c) => c.phases),
    });
  }
  const maxAmps = policy.phaseImbalance.maxAmps;
  return {
    cars,
    limits,
    imbalanceSteps: maxAmps === null ? null : stepsDown(maxAmps, step),
    reservedPhase,
    strict: policy.distribution === 'priorityStrict',
  };
}

/** Steps per car (0 for paused cars), as the reference decides them. */
export type RefSteps = number[];

/** The 1- and 2-phase load per grid phase, reserved load included. */
export function unbalancedTotals(problem: RefProblem, steps: readonly number[]): [number, number, number] {
  const totals: [number, number, number] = [...problem.reservedPhase];
  problem.cars.forEach((car, k) => {
    if (car.phases === 3) return;
    for (let p = 0; p < 3; p++) if (car.mask & (1 << p)) totals[p]! += steps[k]!;
  });
  return totals;
}

const spreadOf = (t: readonly number[]) => Math.max(...t) - Math.min(...t);

/** Every limit holds that a charging car is under (reserved load alone may exceed a limit: it is not ours to move). */
function packingHolds(problem: RefProblem, steps: readonly number[], only?: number): boolean {
  return problem.limits.every((l) => {
    if (only !== undefined ? l.coef[only] === 0 : !l.coef.some((w, k) => w > 0 && steps[k]! > 0)) return true;
    return l.coef.reduce((sum, w, k) => sum + w * steps[k]!, l.reserved) <= l.capacity;
  });
}

/**
 * True when `steps` keep the imbalance limit: the spread is within it, or (when reserved load alone makes it wider)
 * no phase a charging 1- or 2-phase car is on is further above the lightest than the limit.
 */
function balanced(problem: RefProblem, steps: readonly number[]): boolean {
  const allowed = problem.imbalanceSteps;
  if (allowed === null) return true;
  const totals = unbalancedTotals(problem, steps);
  if (spreadOf(totals) <= allowed) return true;
  const lightest = Math.min(...totals);
  return problem.cars.every(
    (car, k) =>
      steps[k] === 0 ||
      car.phases === 3 ||
      [0, 1, 2].every((p) => (car.mask & (1 << p)) === 0 || totals[p]! - lightest <= allowed),
  );
}

/**
 * One more step for car k keeps every limit and the imbalance limit: the spread stays within it, or (when reserved
 * load alone makes it wider) none of the car's phases gets further above the lightest than the limit.
 */
function canRise(problem: RefProblem, steps: number[], k: number): boolean {
  const car = problem.cars[k]!;
  if (steps[k]! >= car.maxSteps) return false;
  steps[k]!++;
  let ok = packingHolds(problem, steps, k);
  const allowed = problem.imbalanceSteps;
  if (ok && allowed !== null && car.phases < 3) {
    const totals = unbalancedTotals(problem, steps);
    const lightest = Math.min(...totals);
    ok =
      spreadOf(totals) <= allowed ||
      [0, 1, 2].every((p) => (car.mask & (1 << p)) === 0 || totals[p]! - lightest <= allowed);
  }
  steps[k]!--;
  return ok;
}

/**
 * Max-min fair filling of the rising cars from the steps given, higher classes first: the next step goes to the
 * highest class that has a car able to take one, and within it to the lowest car. A lower class only rises while no
 * higher car can, which under the imbalance limit may make room for a higher one again.
 */
export function referenceFill(problem: RefProblem, start: readonly number[], rising: readonly boolean[]): RefSteps {
  const steps = [...start];
  for (;;) {
    let best = -1;
    problem.cars.forEach((car, k) => {
      if (!rising[k] || !canRise(problem, steps, k)) return;
      const than = problem.cars[best];
      if (best < 0 || car.klass > than!.klass || (car.klass === than!.klass && steps[k]! < steps[best]!)) best = k;
    });
    if (best < 0) return steps;
    steps[best]!++;
  }
}

/** What `steps` use of each limit, in `problem.limits` order. */
export function referenceUsage(problem: RefProblem, steps: readonly number[]): number[] {
  return problem.limits.map((l) => l.coef.reduce((sum, w, k) => sum + w * steps[k]!, l.reserved));
}

/** True when `steps` keep every limit and the imbalance limit. */
export function referenceHolds(problem: RefProblem, steps: readonly number[]): boolean {
  return packingHolds(problem, steps) && balanced(problem, steps);
}

/** True when the cars in `active`, each at least at its minimum, can all charge (`base`: steps of decided cars). */
export function referenceFeasible(problem: RefProblem, active: readonly boolean[], base?: readonly number[]): boolean {
  const start = problem.cars.map((car, k) => (active[k] ? car.minSteps : (base?.[k] ?? 0)));
  if (!packingHolds(problem, start)) return false;
  return balanced(problem, referenceFill(problem, start, active));
}

/** Pause order: lowest class first, then most energy, then the later connector. */
function pauseOrder(cars: readonly RefCar[]): RefCar[] {
  return [...cars].sort((a, b) => a.klass - b.klass || b.energyWh - a.energyWh || b.index - a.index);
}

/** Chooses who charges among `candidates` on top of `base` (decided cars' steps): pause in order, then readmit. */
function choose(problem: RefProblem, candidates: readonly RefCar[], base: readonly number[]): boolean[] {
  const active = problem.cars.map(() => false);
  for (const car of candidates) active[car.index] = true;
  const order = pauseOrder(candidates);
  for (const car of order) {
    if (referenceFeasible(problem, active, base)) break;
    active[car.index] = false;
  }
  // Highest rank first, and again while a car got in: one admitted late can make room for one turned away earlier.
  for (let admitted = true; admitted; ) {
    admitted = false;
    for (const car of [...order].reverse()) {
      if (active[car.index]) continue;
      active[car.index] = true;
      if (referenceFeasible(problem, active, base)) admitted = true;
      else active[car.index] = false;
    }
  }
  return active;
}

/** The reference allocation: steps per car, in `problem.cars` order (0 for paused cars). */
export function referenceAllocate(problem: RefProblem): RefSteps {
  const zero = problem.cars.map(() => 0);
  if (!problem.strict) {
    const active = choose(problem, problem.cars, zero);
    return referenceFill(
      problem,
      problem.cars.map((c, k) => (active[k] ? c.minSteps : 0)),
      active,
    );
  }
  // Strict priority: each class is chosen and filled on what the classes above it left, as if lower classes were absent.
  let steps = zero;
  const classes = [...new Set(problem.cars.map((c) => c.klass))].sort((a, b) => b - a);
  for (const klass of classes) {
    const members = problem.cars.filter((c) => c.klass === klass);
    const active = choose(problem, members, steps);
    const start = steps.map((s, k) => (active[k] ? problem.cars[k]!.minSteps : s));
    steps = referenceFill(problem, start, active);
  }
  // Under the imbalance limit a lower class rising can make room for a higher one: every class may take it, from the top.
  return referenceFill(
    problem,
    steps,
    steps.map((s) => s > 0),
  );
}

/** The grid phases a charger is wired to (bit mask). */
function chargerMask(charger: { readonly phases: number; readonly phaseRotation: string }): number {
  let mask = 0;
  for (let k = 0; k < charger.phases; k++) mask |= 1 << (Number(charger.phaseRotation.charAt(2 * k + 1)) - 1);
  return mask;
}
