/**
 * The optional phase-imbalance limit on the chargers' own load (e.g. 20 A, the 4.6 kVA rule of VDE-AR-N 4100).
 * Three-phase cars load every phase alike, so only 1- and 2-phase cars make imbalance; their load on
 * over-loaded phases gets a cap of the lightest phase plus the limit and the classes are filled again, a few times
 * as the lightest phase moves (a cap a phase is at rises with the lightest phase, as the current it kept back lifted
 * it); what is still out of balance then is cut from 1- and 2-phase cars, lowest class first.
 */
import type { Policy } from '../policy/policy-schema';
import { isReserved, stepsDown, type ConnectorDemand } from './connector-demand';
import { addUsage, type ConstraintLayout, type ConstraintSet } from './constraint-set';
import { fillClasses, type FillResult } from './class-fill';
import type { FillWorkspace } from './fill-workspace';
import { f64, i32, u8 } from './typed-access';

const REFILLS = 4;

export interface BalanceResult {
  readonly fill: FillResult;
  /** 1 for each connector cut back or paused for balance. */
  readonly limited: Uint8Array;
}

/**
 * Enforces the imbalance limit; mutates `capacity` (imbalance caps) and `active` (cars paused for balance). With
 * `stopAtPause`, cutting stops at the first car paused: the caller fills again without it before cutting more (the
 * budget that car frees can lift the light phases).
 */
export function balancePhases(
  ws: FillWorkspace,
  demand: ConnectorDemand,
  set: ConstraintSet,
  layout: ConstraintLayout,
  capacity: Float64Array,
  usedAtMinimum: Float64Array,
  groups: readonly number[][],
  active: Uint8Array,
  initial: FillResult,
  policy: Policy,
  stopAtPause = false,
): BalanceResult {
  const limited = new Uint8Array(demand.n);
  const maxAmps = policy.phaseImbalance.maxAmps;
  if (maxAmps === null) return { fill: initial, limited };
  const allowed = stepsDown(maxAmps, policy.granularityAmps);
  const uncapped = capacity.slice(layout.imbalanceBase, layout.imbalanceBase + 3);
  let fill = initial;
  for (let round = 0; round < REFILLS; round++) {
    const totals = phaseTotals(demand, active, fill.steps);
    const lightest = Math.min(...totals);
    const lowered: number[] = [];
    let raised = false;
    totals.forEach((total, p) => {
      const c = layout.imbalanceBase + p;
      const cap = Math.min(f64(uncapped, p), lightest + allowed);
      if (total > lightest + allowed && f64(capacity, c) > lightest + allowed) {
        capacity[c] = lightest + allowed;
        lowered.push(c);
      } else if (f64(capacity, c) < cap && total >= f64(capacity, c)) {
        // A cap set while the lightest phase was lower, and the phase is at it: the lightest phase rose since (the
        // current the cap kept back went to it), so the phase may follow it (found with a random seed, 515449760).
        capacity[c] = cap;
        raised = true;
      }
    });
    if (lowered.length === 0 && !raised) break;
    fill = raised
      ? fillClasses(ws, demand, set, capacity, usedAtMinimum, groups)
      : fillClasses(ws, demand, set, capacity, usedAtMinimum, groups, { previous: fill, lowered });
  }
  cutUnbalanced(demand, set, active, fill, allowed, limited, stopAtPause);
  const totals = phaseTotals(demand, active, fill.steps);
  const lightest = Math.min(...totals);
  for (let c = layout.imbalanceBase; c < layout.imbalanceBase + 3; c++)
    capacity[c] = Math.min(f64(capacity, c), lightest + allowed);
  return { fill, limited };
}

function cutUnbalanced(
  demand: ConnectorDemand,
  set: ConstraintSet,
  active: Uint8Array,
  fill: FillResult,
  allowed: number,
  limited: Uint8Array,
  stopAtPause: boolean,
): void {
  // Every cut lowers the heaviest phase, by at least one step, or pauses a car: bounded by the excess and the cars.
  const first = phaseTotals(demand, active, fill.steps);
  const guard = 4 * demand.n + 3 + 2 * Math.max(0, Math.max(...first) - Math.min(...first) - allowed);
  for (let round = 0; round < guard; round++) {
    const totals = phaseTotals(demand, active, fill.steps);
    const lightest = Math.min(...totals);
    // The heaviest phase first; when no car of ours loads it (reserved load alone), the next one over the limit.
    let excess = 0;
    let victim = -1;
    let rival = 0;
    const heaviestFirst = totals.map((total, phase) => ({ phase, total })).sort((a, b) => b.total - a.total);
    for (const { phase, total } of heaviestFirst) {
      excess = total - lightest - allowed;
      if (excess <= 0) return;
      ({ victim, rival } = pickVictim(demand, active, fill.steps, phase, totals, lightest));
      if (victim >= 0) break;
    }
    if (victim < 0) return;
    // Current above a minimum goes before anyone's minimum: a car is only paused when every car left on the phase is
    // at its minimum. Cuts level the largest cars of the class down together rather than take it all from one.
    const steps = i32(fill.steps, victim);
    const reducible = steps - i32(demand.minSteps, victim);
    const cut = reducible > 0 ? Math.min(reducible, excess, Math.max(1, steps - rival)) : steps;
    addUsage(set, fill.used, victim, -cut);
    fill.steps[victim] = steps - cut;
    limited[victim] = 1;
    if (steps - cut === 0) {
      active[victim] = 0;
      if (stopAtPause) return;
    }
  }
}

/**
 * The car to cut on the heaviest phase: current above a minimum before a minimum; then the lowest class; then, to
 * cut, the largest allocation, and to pause, the most energy (as pause selection ranks cars). 1-phase cars before
 * 2-phase ones only between otherwise equal cars. A car that also loads a lightest phase is no use: cutting it
 * lowers both ends alike. `rival` is the largest allocation among the other cars of the victim's kind.
 */
function pickVictim(
  demand: ConnectorDemand,
  active: Uint8Array,
  steps: Int32Array,
  phase: number,
  totals: readonly number[],
  lightest: number,
): { victim: number; rival: number } {
  let lightMask = 0;
  for (let p = 0; p < 3; p++) if (totals[p] === lightest) lightMask |= 1 << p;
  let best = -1;
  const eligible = (i: number) => {
    const mask = u8(demand.phaseMask, i);
    return active[i] === 1 && demand.phaseCount[i] !== 3 && (mask & (1 << phase)) !== 0 && (mask & lightMask) === 0;
  };
  for (let i = 0; i < demand.n; i++) if (eligible(i) && (best < 0 || better(demand, steps, i, best))) best = i;
  let rival = best < 0 ? 0 : i32(demand.minSteps, best);
  if (best >= 0 && i32(steps, best) > rival) {
    for (let i = 0; i < demand.n; i++) {
      if (
        i === best ||
        !eligible(i) ||
        demand.klass[i] !== demand.klass[best] ||
        i32(steps, i) <= i32(demand.minSteps, i)
      )
        continue;
      rival = Math.max(rival, i32(steps, i));
    }
  }
  return { victim: best, rival };
}

function better(demand: ConnectorDemand, steps: Int32Array, i: number, than: number): boolean {
  const { minSteps, klass, energyWh, phaseCount } = demand;
  const aboveI = i32(steps, i) > i32(minSteps, i);
  const aboveThan = i32(steps, than) > i32(minSteps, than);
  if (aboveI !== aboveThan) return aboveI;
  if (klass[i] !== klass[than]) return i32(klass, i) < i32(klass, than);
  if (aboveI && steps[i] !== steps[than]) return i32(steps, i) > i32(steps, than);
  if (!aboveI && energyWh[i] !== energyWh[than]) return f64(energyWh, i) > f64(energyWh, than);
  if (phaseCount[i] !== phaseCount[than]) return u8(phaseCount, i) < u8(phaseCount, than);
  return i > than;
}

/** The unbalanced part of the chargers' own load on each grid phase, in steps: 1- and 2-phase cars, active or reserved. */
export function phaseTotals(demand: ConnectorDemand, active: Uint8Array, steps: Int32Array): [number, number, number] {
  const totals: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < demand.n; i++) {
    if (demand.phaseCount[i] === 3) continue;
    const amount = active[i] ? i32(steps, i) : isReserved(u8(demand.role, i)) ? i32(demand.reservedSteps, i) : 0;
    if (amount === 0) continue;
    const mask = u8(demand.phaseMask, i);
    if (mask & 1) totals[0] += amount;
    if (mask & 2) totals[1] += amount;
    if (mask & 4) totals[2] += amount;
  }
  return totals;
}
