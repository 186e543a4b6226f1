/**
 * Every limit of a round as a linear constraint over connector steps: circuit fuses and charger limits per grid
 * phase, the cluster budget (per phase, or as total power), the dynamic grid limit and the phase-imbalance caps.
 */
import { PHASE_NAMES, type PhaseIndex } from '../units';
import { Role, type ConnectorDemand } from './connector-demand';
import type { SiteTopology } from './site-topology';
import { f64, i32, postIncrement, u8, addAt } from './typed-access';

/**
 * Where each kind of constraint starts in the flat index. Constraints come in groups of three, one per grid phase:
 * constraint `3 * g + p` is group g on phase p. The power budget is a group of its own that uses only its first slot.
 */
export interface ConstraintLayout {
  readonly count: number;
  readonly groups: number;
  readonly chargerBase: number;
  readonly budgetPhaseBase: number;
  readonly budgetPower: number;
  readonly gridLimitBase: number;
  readonly imbalanceBase: number;
}

/** `phase` of an entry that loads all three phases of its group alike: three-phase cars. */
export const ALL_PHASES = 3;

/**
 * Membership in compressed rows: connector i's entries are `[start[i], start[i+1])`, each a group, a phase
 * (0-2, or ALL_PHASES) and a weight. A three-phase car has one entry per group rather than one per phase.
 */
export interface ConstraintSet {
  readonly layout: ConstraintLayout;
  readonly start: Int32Array;
  readonly group: Int32Array;
  readonly phase: Uint8Array;
  readonly weight: Int32Array;
  /** Candidates under every phase of group g: `allMembers[allStart[g] .. allStart[g+1])`. */
  readonly allStart: Int32Array;
  readonly allMembers: Int32Array;
  /** Candidates under constraint c through a one-phase entry: `phaseMembers[phaseStart[c] .. phaseStart[c+1])`. */
  readonly phaseStart: Int32Array;
  readonly phaseMembers: Int32Array;
}

/** The constraint layout of a topology. */
export function constraintLayout(topology: SiteTopology): ConstraintLayout {
  const chargerBase = topology.circuitIds.length * 3;
  const budgetPhaseBase = chargerBase + topology.nodeChargerIds.length * 3;
  return {
    chargerBase,
    budgetPhaseBase,
    budgetPower: budgetPhaseBase + 3,
    gridLimitBase: budgetPhaseBase + 6,
    imbalanceBase: budgetPhaseBase + 9,
    count: budgetPhaseBase + 12,
    groups: budgetPhaseBase / 3 + 4,
  };
}

/**
 * Builds which constraints every connector (candidate or reserved) is under, and their inverse for candidates.
 * Budget and grid-limit constraints that are unlimited this round are left out; imbalance caps are kept, since
 * phase balancing may set them later in the round.
 */
export function buildConstraintSet(
  topology: SiteTopology,
  demand: ConnectorDemand,
  layout: ConstraintLayout,
  capacity: Float64Array,
): ConstraintSet {
  return build(
    topology,
    demand,
    layout,
    capacity[layout.budgetPhaseBase] !== Infinity,
    capacity[layout.budgetPower] !== Infinity,
    capacity[layout.gridLimitBase] !== Infinity,
  );
}

/** The last set an allocator built: rounds on the same topology in which no connector changed role or phases reuse it. */
export class ConstraintSetCache {
  private last:
    | { topology: SiteTopology; flags: number; role: Uint8Array; phaseMask: Uint8Array; set: ConstraintSet }
    | undefined;

  /** The constraint set of this round: the last one when nothing it depends on changed, else a new one. */
  for(
    topology: SiteTopology,
    demand: ConnectorDemand,
    layout: ConstraintLayout,
    capacity: Float64Array,
  ): ConstraintSet {
    const flags =
      (capacity[layout.budgetPhaseBase] !== Infinity ? 1 : 0) |
      (capacity[layout.budgetPower] !== Infinity ? 2 : 0) |
      (capacity[layout.gridLimitBase] !== Infinity ? 4 : 0);
    const last = this.last;
    if (
      last?.topology === topology &&
      last.flags === flags &&
      sameBytes(last.role, demand.role) &&
      sameBytes(last.phaseMask, demand.phaseMask)
    )
      return last.set;
    const set = buildConstraintSet(topology, demand, layout, capacity);
    this.last = { topology, flags, role: demand.role.slice(), phaseMask: demand.phaseMask.slice(), set };
    return set;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The groups connector i is under in every phase it loads: its circuits, its charger, the per-phase budget and grid limit. */
function groupsOf(
  topology: SiteTopology,
  layout: ConstraintLayout,
  i: number,
  budgetPhase: boolean,
  gridLimit: boolean,
  into: number[],
): number[] {
  const charger = topology.chargers[topology.connectors[i]!.chargerIndex]!;
  into.length = 0;
  for (const circuit of charger.circuitPath) into.push(circuit);
  if (charger.node >= 0) into.push(layout.chargerBase / 3 + charger.node);
  if (budgetPhase) into.push(layout.budgetPhaseBase / 3);
  if (gridLimit) into.push(layout.gridLimitBase / 3);
  return into;
}

function build(
  topology: SiteTopology,
  demand: ConnectorDemand,
  layout: ConstraintLayout,
  budgetPhase: boolean,
  budgetPower: boolean,
  gridLimit: boolean,
): ConstraintSet {
  const { n } = demand;
  const groups: number[] = [];
  const start = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const phases = demand.role[i] === Role.Idle ? 0 : u8(demand.phaseCount, i);
    const perPhase = groupsOf(topology, layout, i, budgetPhase, gridLimit, groups).length;
    // A three-phase car loads every phase alike: one entry per group, and it never makes imbalance.
    const entries = phases === 0 ? 0 : phases === 3 ? perPhase : phases * (perPhase + 1);
    total += entries + (phases > 0 && budgetPower ? 1 : 0);
    start[i + 1] = total;
  }
  const group = new Int32Array(total);
  const phase = new Uint8Array(total);
  const weight = new Int32Array(total).fill(1);
  const allCount = new Int32Array(layout.groups + 1);
  const phaseCount = new Int32Array(layout.count + 1);
  const imbalanceGroup = layout.imbalanceBase / 3;
  for (let i = 0; i < n; i++) {
    const first = i32(start, i);
    let k = first;
    if (k === start[i + 1]) continue;
    groupsOf(topology, layout, i, budgetPhase, gridLimit, groups);
    const count = u8(demand.phaseCount, i);
    if (count === 3) {
      for (const g of groups) {
        group[k] = g;
        phase[k++] = ALL_PHASES;
      }
    } else {
      const mask = u8(demand.phaseMask, i);
      for (let p = 0; p < 3; p++) {
        if ((mask & (1 << p)) === 0) continue;
        for (const g of groups) {
          group[k] = g;
          phase[k++] = p;
        }
        group[k] = imbalanceGroup;
        phase[k++] = p;
      }
    }
    if (budgetPower) {
      group[k] = layout.budgetPower / 3;
      phase[k] = 0;
      weight[k++] = count;
    }
    if (demand.role[i] !== Role.Candidate) continue;
    for (let j = first; j < k; j++) {
      const p = u8(phase, j);
      if (p === ALL_PHASES) postIncrement(allCount, i32(group, j) + 1);
      else postIncrement(phaseCount, i32(group, j) * 3 + p + 1);
    }
  }
  const allStart = prefixSums(allCount);
  const phaseStart = prefixSums(phaseCount);
  const allMembers = new Int32Array(i32(allStart, layout.groups));
  const phaseMembers = new Int32Array(i32(phaseStart, layout.count));
  const allAt = allStart.slice(0, layout.groups);
  const phaseAt = phaseStart.slice(0, layout.count);
  for (let i = 0; i < n; i++) {
    if (demand.role[i] !== Role.Candidate) continue;
    for (let j = i32(start, i), end = i32(start, i + 1); j < end; j++) {
      const p = u8(phase, j);
      if (p === ALL_PHASES) allMembers[postIncrement(allAt, i32(group, j))] = i;
      else phaseMembers[postIncrement(phaseAt, i32(group, j) * 3 + p)] = i;
    }
  }
  return { layout, start, group, phase, weight, allStart, allMembers, phaseStart, phaseMembers };
}

/** Running totals of `counts`, whose first entry is 0: the start of every row. */
function prefixSums(counts: Int32Array): Int32Array {
  const sums = new Int32Array(counts.length);
  let total = 0;
  for (let k = 1; k < counts.length; k++) {
    total += i32(counts, k);
    sums[k] = total;
  }
  return sums;
}

/** Readable names of a topology's constraints, each built the first time it is asked for and kept by the function. */
export function constraintLabels(topology: SiteTopology, layout: ConstraintLayout): (c: number) => string {
  const known = new Array<string | undefined>(layout.count);
  return (c) => (known[c] ??= constraintLabel(topology, layout, c));
}

/** A readable name for a constraint, as shown in an allocation's `boundBy`. */
function constraintLabel(topology: SiteTopology, layout: ConstraintLayout, c: number): string {
  if (c < layout.chargerBase)
    return `circuit:${topology.circuitIds[Math.floor(c / 3)]}:${PHASE_NAMES[(c % 3) as PhaseIndex]}`;
  if (c < layout.budgetPhaseBase) {
    const node = Math.floor((c - layout.chargerBase) / 3);
    return `charger:${topology.nodeChargerIds[node]}:${PHASE_NAMES[((c - layout.chargerBase) % 3) as PhaseIndex]}`;
  }
  if (c < layout.budgetPower) return `budget:${PHASE_NAMES[(c - layout.budgetPhaseBase) as PhaseIndex]}`;
  if (c < layout.gridLimitBase) return 'budget';
  if (c < layout.imbalanceBase) return `gridLimit:${PHASE_NAMES[(c - layout.gridLimitBase) as PhaseIndex]}`;
  return `imbalance:${PHASE_NAMES[(c - layout.imbalanceBase) as PhaseIndex]}`;
}

/** Adds `steps` of connector i to `used` on every constraint it is under. */
export function addUsage(set: ConstraintSet, used: Float64Array, i: number, steps: number): void {
  const { group, phase, weight } = set;
  for (let j = i32(set.start, i), end = i32(set.start, i + 1); j < end; j++) {
    const c = i32(group, j) * 3;
    const amount = i32(weight, j) * steps;
    const p = u8(phase, j);
    if (p === ALL_PHASES) {
      addAt(used, c, amount);
      addAt(used, c + 1, amount);
      addAt(used, c + 2, amount);
    } else {
      addAt(used, c + p, amount);
    }
  }
}

/** True when connector i can take `steps` more without exceeding any of its constraints. */
export function fits(
  set: ConstraintSet,
  used: Float64Array,
  capacity: Float64Array,
  i: number,
  steps: number,
): boolean {
  const { group, phase, weight } = set;
  for (let j = i32(set.start, i), end = i32(set.start, i + 1); j < end; j++) {
    const c = i32(group, j) * 3;
    const amount = i32(weight, j) * steps;
    const p = u8(phase, j);
    if (p === ALL_PHASES) {
      if (
        f64(used, c) + amount > f64(capacity, c) ||
        f64(used, c + 1) + amount > f64(capacity, c + 1) ||
        f64(used, c + 2) + amount > f64(capacity, c + 2)
      )
        return false;
    } else if (f64(used, c + p) + amount > f64(capacity, c + p)) {
      return false;
    }
  }
  return true;
}

/** True when any constraint connector i is under is already over its capacity. */
export function overLimit(set: ConstraintSet, used: Float64Array, capacity: Float64Array, i: number): boolean {
  return !fits(set, used, capacity, i, 0);
}

/** The first full constraint connector i is under, or -1. */
export function firstFullConstraint(set: ConstraintSet, full: Uint8Array, i: number): number {
  for (let j = i32(set.start, i), end = i32(set.start, i + 1); j < end; j++) {
    const c = i32(set.group, j) * 3;
    const p = u8(set.phase, j);
    if (p !== ALL_PHASES) {
      if (full[c + p]) return c + p;
    } else if (full[c] || full[c + 1] || full[c + 2]) {
      return full[c] ? c : full[c + 1] ? c + 1 : c + 2;
    }
  }
  return -1;
}
