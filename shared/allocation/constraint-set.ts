/**
 * Every limit of a round as a linear constraint over connector steps: circuit fuses and charger limits per grid
 * phase, the cluster budget (per phase, or as total power), the dynamic grid limit and the phase-imbalance caps.
 */
import { PHASE_NAMES, type PhaseIndex } from '../units';
import { Role, type ConnectorDemand } from './connector-demand';
import type { SiteTopology } from './site-topology';

/** Where each kind of constraint starts in the flat index. */
export interface ConstraintLayout {
  readonly count: number;
  readonly chargerBase: number;
  readonly budgetPhaseBase: number;
  readonly budgetPower: number;
  readonly gridLimitBase: number;
  readonly imbalanceBase: number;
}

/** Membership in compressed rows: connector i is under constraints `of[start[i] .. start[i+1])` with `weight`. */
export interface ConstraintSet {
  readonly layout: ConstraintLayout;
  readonly start: Int32Array;
  readonly of: Int32Array;
  readonly weight: Int32Array;
  /** Candidates under each constraint: `members[memberStart[c] .. memberStart[c+1])`. */
  readonly memberStart: Int32Array;
  readonly members: Int32Array;
}

/** The constraint layout of a topology. */
export function constraintLayout(topology: SiteTopology): ConstraintLayout {
  const chargerBase = topology.circuitIds.length * 3;
  const budgetPhaseBase = chargerBase + topology.nodeChargerIds.length * 3;
  return {
    chargerBase,
    budgetPhaseBase,
    budgetPower: budgetPhaseBase + 3,
    gridLimitBase: budgetPhaseBase + 4,
    imbalanceBase: budgetPhaseBase + 7,
    count: budgetPhaseBase + 10,
  };
}

/**
 * Builds which constraints every connector (candidate or reserved) is under, and their inverse for candidates.
 * Budget and grid-limit constraints that are unlimited this round are left out; imbalance caps are kept, since
 * phase balancing may set them later in the round.
 */
export function buildConstraintSet(topology: SiteTopology, demand: ConnectorDemand, layout: ConstraintLayout, capacity: Float64Array): ConstraintSet {
  const budgetPhase = capacity[layout.budgetPhaseBase] !== Infinity;
  const budgetPower = capacity[layout.budgetPower] !== Infinity;
  const gridLimit = capacity[layout.gridLimitBase] !== Infinity;
  const flags = (budgetPhase ? 1 : 0) | (budgetPower ? 2 : 0) | (gridLimit ? 4 : 0);
  const cached = setCache.get(topology);
  if (cached && cached.flags === flags && sameBytes(cached.role, demand.role) && sameBytes(cached.phaseMask, demand.phaseMask)) return cached.set;
  const set = build(topology, demand, layout, budgetPhase, budgetPower, gridLimit);
  setCache.set(topology, { flags, role: demand.role.slice(), phaseMask: demand.phaseMask.slice(), set });
  return set;
}

/** The last set built per topology: rounds in which no connector changed role or phases reuse it. */
const setCache = new WeakMap<SiteTopology, { flags: number; role: Uint8Array; phaseMask: Uint8Array; set: ConstraintSet }>();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function build(topology: SiteTopology, demand: ConnectorDemand, layout: ConstraintLayout, budgetPhase: boolean, budgetPower: boolean, gridLimit: boolean): ConstraintSet {
  const { n } = demand;
  const fixedPerPhase = (budgetPhase ? 1 : 0) + (gridLimit ? 1 : 0);
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const charger = topology.chargers[topology.connectors[i]!.chargerIndex]!;
    const phases = demand.role[i] === Role.Idle ? 0 : demand.phaseCount[i]!;
    // Three-phase cars load every phase alike, so only 1- and 2-phase cars are under the imbalance caps.
    const perPhase = charger.circuitPath.length + (charger.node >= 0 ? 1 : 0) + fixedPerPhase + (phases < 3 ? 1 : 0);
    start[i + 1] = start[i]! + (phases === 0 ? 0 : phases * perPhase + (budgetPower ? 1 : 0));
  }
  const total = start[n]!;
  const of = new Int32Array(total);
  const weight = new Int32Array(total);
  const memberCount = new Int32Array(layout.count + 1);
  for (let i = 0; i < n; i++) {
    let k = start[i]!;
    if (k === start[i + 1]) continue;
    const charger = topology.chargers[topology.connectors[i]!.chargerIndex]!;
    const mask = demand.phaseMask[i]!;
    for (let p = 0; p < 3; p++) {
      if ((mask & (1 << p)) === 0) continue;
      for (const circuit of charger.circuitPath) of[k++] = circuit * 3 + p;
      if (charger.node >= 0) of[k++] = layout.chargerBase + charger.node * 3 + p;
      if (budgetPhase) of[k++] = layout.budgetPhaseBase + p;
      if (gridLimit) of[k++] = layout.gridLimitBase + p;
      if (demand.phaseCount[i]! < 3) of[k++] = layout.imbalanceBase + p;
    }
    for (let j = start[i]!; j < k; j++) weight[j] = 1;
    if (budgetPower) {
      of[k] = layout.budgetPower;
      weight[k++] = demand.phaseCount[i]!;
    }
    if (demand.role[i] === Role.Candidate) for (let j = start[i]!; j < k; j++) memberCount[of[j]! + 1]!++;
  }
  const memberStart = new Int32Array(layout.count + 1);
  for (let c = 0; c < layout.count; c++) memberStart[c + 1] = memberStart[c]! + memberCount[c + 1]!;
  const members = new Int32Array(memberStart[layout.count]!);
  const fill = memberStart.slice(0, layout.count);
  for (let i = 0; i < n; i++) {
    if (demand.role[i] !== Role.Candidate) continue;
    for (let j = start[i]!; j < start[i + 1]!; j++) members[fill[of[j]!]!++] = i;
  }
  return { layout, start, of, weight, memberStart, members };
}

/** Readable names of constraints, built once per name and round. */
export class ConstraintLabels {
  private readonly names: (string | undefined)[];
  constructor(
    private readonly topology: SiteTopology,
    private readonly layout: ConstraintLayout,
  ) {
    this.names = new Array<string | undefined>(layout.count);
  }

  /** The name of constraint `c`. */
  of(c: number): string {
    return (this.names[c] ??= constraintLabel(this.topology, this.layout, c));
  }
}

/** A readable name for a constraint, as shown in an allocation's `boundBy`. */
function constraintLabel(topology: SiteTopology, layout: ConstraintLayout, c: number): string {
  if (c < layout.chargerBase) return `circuit:${topology.circuitIds[Math.floor(c / 3)]}:${PHASE_NAMES[(c % 3) as PhaseIndex]}`;
  if (c < layout.budgetPhaseBase) {
    const node = Math.floor((c - layout.chargerBase) / 3);
    return `charger:${topology.nodeChargerIds[node]}:${PHASE_NAMES[((c - layout.chargerBase) % 3) as PhaseIndex]}`;
  }
  if (c === layout.budgetPower) return 'budget';
  if (c < layout.budgetPower) return `budget:${PHASE_NAMES[(c - layout.budgetPhaseBase) as PhaseIndex]}`;
  if (c < layout.imbalanceBase) return `gridLimit:${PHASE_NAMES[(c - layout.gridLimitBase) as PhaseIndex]}`;
  return `imbalance:${PHASE_NAMES[(c - layout.imbalanceBase) as PhaseIndex]}`;
}

/** Adds `steps` of connector i to `used` on every constraint it is under. */
export function addUsage(set: ConstraintSet, used: Float64Array, i: number, steps: number): void {
  for (let j = set.start[i]!; j < set.start[i + 1]!; j++) used[set.of[j]!]! += set.weight[j]! * steps;
}

/** True when connector i can take `steps` more without exceeding any of its constraints. */
export function fits(set: ConstraintSet, used: Float64Array, capacity: Float64Array, i: number, steps: number): boolean {
  for (let j = set.start[i]!; j < set.start[i + 1]!; j++) {
    const c = set.of[j]!;
    if (used[c]! + set.weight[j]! * steps > capacity[c]!) return false;
  }
  return true;
}
