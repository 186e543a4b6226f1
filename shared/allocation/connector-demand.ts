/** Per-connector inputs of one allocation round: who wants current, on which grid phases, between which bounds. */
import type { Policy } from '../policy/policy-schema';
import { REQUESTING_STATUSES, type ConnectorState } from '../site/site-state';
import type { PhaseIndex } from '../units';
import type { ConnectorActivity, ConnectorAllocation } from './allocation-types';
import type { SiteTopology } from './site-topology';

/** The VIP class sits above every priority level. */
export const VIP_CLASS = 100;

/** What a connector takes part in this round. */
export const Role = {
  /** Nothing to allocate. */
  Idle: 0,
  /** Wants current and can be controlled. */
  Candidate: 1,
  /** Offline: the charger runs on its fail-safe profile, which is reserved. */
  Offline: 2,
  /** Not answering: its last limit is reserved as if still drawn. */
  Unresponsive: 3,
} as const;

/** True for connectors whose current is outside our control this round and reserved as it is. */
export const isReserved = (role: number): boolean => role >= Role.Offline;

/** Struct-of-arrays view of every connector, in topology order. Amounts are in allocation steps. */
export interface ConnectorDemand {
  readonly n: number;
  readonly role: Uint8Array;
  /** Bit mask of the grid phases the car draws on (bit 0 = L1). */
  readonly phaseMask: Uint8Array;
  readonly phaseCount: Uint8Array;
  readonly minSteps: Int32Array;
  readonly maxSteps: Int32Array;
  /** 1 when maxSteps comes from the car's measured draw (closed loop) rather than the charger. */
  readonly cappedByCar: Uint8Array;
  /** Steps reserved for offline and unresponsive connectors. */
  readonly reservedSteps: Int32Array;
  readonly klass: Int32Array;
  readonly priority: Int32Array;
  readonly vip: Uint8Array;
  readonly energyWh: Float64Array;
  /** The previous allocation, copied out of its objects once: later stages read these arrays many times. */
  readonly prevActivity: Uint8Array;
  readonly prevAmps: Float64Array;
  readonly prevSince: Float64Array;
  readonly prevChangedAt: Float64Array;
  /**
   * Our own measured draw per grid phase (3 per connector): the smaller of what the car drew and what it was last
   * allowed, since a car that was just cut back still shows its old draw. Zero when unknown or stale.
   */
  readonly ownDrawAmps: Float64Array;
}

/** `prevActivity` codes. */
export const PrevActivity = { None: 0, Active: 1, Paused: 2, Idle: 3 } as const;
const ACTIVITY_CODES = { active: PrevActivity.Active, paused: PrevActivity.Paused, idle: PrevActivity.Idle } as const;

/** The `prevActivity` code of an activity. */
export const activityCode = (activity: ConnectorActivity): number => ACTIVITY_CODES[activity];

/** Amps at or above this on a phase count as the car drawing on it. */
const PHASE_PRESENT_AMPS = 1;

/** Converts amps to whole steps, rounding down (limits) or up (minimums). */
export const stepsDown = (amps: number, stepAmps: number): number => Math.floor(amps / stepAmps + 1e-9);
export const stepsUp = (amps: number, stepAmps: number): number => Math.ceil(amps / stepAmps - 1e-9);

/** Builds every connector's demand from the topology, runtime states, the previous allocation and the policy. */
export function connectorDemand(
  topology: SiteTopology,
  states: readonly ConnectorState[],
  previous: readonly ConnectorAllocation[] | undefined,
  policy: Policy,
  now: number,
): ConnectorDemand {
  const n = topology.connectors.length;
  const step = policy.granularityAmps;
  const stateOf = new ByRef(topology, states);
  const prevOf = new ByRef(topology, previous ?? []);
  const levels = priorityLookup(policy);
  const d = {
    n,
    role: new Uint8Array(n),
    phaseMask: new Uint8Array(n),
    phaseCount: new Uint8Array(n),
    minSteps: new Int32Array(n),
    maxSteps: new Int32Array(n),
    cappedByCar: new Uint8Array(n),
    reservedSteps: new Int32Array(n),
    klass: new Int32Array(n),
    priority: new Int32Array(n),
    vip: new Uint8Array(n),
    energyWh: new Float64Array(n),
    prevActivity: new Uint8Array(n),
    prevAmps: new Float64Array(n),
    prevSince: new Float64Array(n),
    prevChangedAt: new Float64Array(n),
    ownDrawAmps: new Float64Array(3 * n),
  };
  const maxAgeMs = policy.measurementMaxAgeSeconds * 1000;
  for (let i = 0; i < n; i++) {
    const c = topology.connectors[i]!;
    const charger = topology.chargers[c.chargerIndex]!;
    const state = stateOf.at(i);
    const session = state?.session;
    const prev = prevOf.at(i);
    const fresh = session?.measured && now - session.measured.at <= maxAgeMs ? session.measured : undefined;
    if (prev) {
      d.prevActivity[i] = ACTIVITY_CODES[prev.activity];
      d.prevAmps[i] = prev.amps;
      d.prevSince[i] = prev.since;
      d.prevChangedAt[i] = prev.changedAt;
      // The car was allowed prev.amps on the charger's first prev.phases phases, and nothing on the others.
      for (let k = 0; fresh && k < 3; k++) d.ownDrawAmps[3 * i + charger.gridPhases[k as PhaseIndex]] = Math.min(fresh.amps[k as PhaseIndex], k < prev.phases ? prev.amps : 0);
    }
    const carPhases = Math.min(session?.carPhases ?? (fresh ? detectPhases(fresh.amps) : 3) ?? 3, charger.phases);
    let mask = 0;
    for (let k = 0; k < carPhases; k++) mask |= 1 << charger.gridPhases[k as PhaseIndex];
    d.phaseMask[i] = mask;
    d.phaseCount[i] = carPhases;
    d.energyWh[i] = session?.energyWh ?? 0;
    const idTag = session?.idTag;
    const tagLevel = idTag === undefined || levels.tags.size === 0 ? 0 : (levels.tags.get(idTag) ?? 0);
    const refLevel = levels.connectors.size === 0 ? 0 : (levels.connectors.get(c.ref) ?? 0);
    const priority = Math.max(c.priority, tagLevel, refLevel);
    const vip = policy.vip.enabled && (c.vip || levels.vipConnectors.has(c.ref) || (idTag !== undefined && levels.vipTags.has(idTag)));
    d.priority[i] = priority;
    d.vip[i] = vip ? 1 : 0;
    d.klass[i] = vip ? VIP_CLASS : policy.distribution === 'priority' ? priority : 0;
    if (!state || !session || !REQUESTING_STATUSES.has(state.status)) continue;
    if (state.link === 'offline') {
      d.role[i] = Role.Offline;
      d.reservedSteps[i] = stepsDown(policy.failSafe.connectorAmps, step);
      continue;
    }
    if (state.link === 'unresponsive') {
      d.role[i] = Role.Unresponsive;
      d.reservedSteps[i] = Math.max(stepsUp(prev?.amps ?? 0, step), stepsDown(policy.failSafe.connectorAmps, step));
      continue;
    }
    d.role[i] = Role.Candidate;
    const minSteps = stepsUp(c.minAmps, step);
    const chargerSteps = stepsDown(c.maxAmps, step);
    const carAmps = closedLoopCap(policy, prev, fresh, carPhases, now);
    const carSteps = carAmps === undefined ? chargerSteps : Math.max(minSteps, stepsDown(carAmps, step));
    d.minSteps[i] = minSteps;
    d.maxSteps[i] = Math.min(chargerSteps, carSteps);
    d.cappedByCar[i] = carSteps < chargerSteps ? 1 : 0;
  }
  return d;
}

/**
 * Items keyed by connector ref, looked up in topology order. A list in that order (the usual case) is read by
 * position, checking each ref as it goes; from the first item out of place on, items are found by ref.
 */
class ByRef<T extends { readonly ref: string }> {
  private aligned: (T | undefined)[] | undefined;

  constructor(
    private readonly topology: SiteTopology,
    private readonly items: readonly T[],
  ) {
    if (items.length !== topology.connectors.length) this.aligned = this.align();
  }

  /** The item of connector i, if any. */
  at(i: number): T | undefined {
    if (!this.aligned) {
      const item = this.items[i];
      if (item?.ref === this.topology.connectors[i]!.ref) return item;
      this.aligned = this.align();
    }
    return this.aligned[i];
  }

  private align(): (T | undefined)[] {
    const out = new Array<T | undefined>(this.topology.connectors.length);
    for (const item of this.items) {
      const i = this.topology.connectorIndex.get(item.ref);
      if (i !== undefined) out[i] = item;
    }
    return out;
  }
}

/** Phases a car draws on, from one measurement; undefined while it draws nothing. */
function detectPhases(amps: readonly [number, number, number]): 1 | 2 | 3 | undefined {
  const present = (amps[0] >= PHASE_PRESENT_AMPS ? 1 : 0) + (amps[1] >= PHASE_PRESENT_AMPS ? 1 : 0) + (amps[2] >= PHASE_PRESENT_AMPS ? 1 : 0);
  return present === 0 ? undefined : (present as 1 | 2 | 3);
}

/**
 * Closed loop: a car that draws clearly less than it was offered keeps its draw plus a margin.
 * A capped car that draws up to its cap again is released (it wants more), so no car starves.
 * Only measurements taken after the last change had time to settle are judged.
 */
function closedLoopCap(
  policy: Policy,
  prev: ConnectorAllocation | undefined,
  measured: { amps: readonly [number, number, number]; at: number } | undefined,
  carPhases: number,
  now: number,
): number | undefined {
  const loop = policy.closedLoop;
  if (!loop.enabled || !prev || !measured || prev.activity !== 'active' || prev.amps <= 0) return undefined;
  if (measured.at < prev.changedAt + loop.settleSeconds * 1000 || measured.at > now) return undefined;
  let drawn = 0;
  for (let k = 0; k < carPhases; k++) drawn = Math.max(drawn, measured.amps[k as PhaseIndex]);
  const wasCapped = prev.boundBy === 'car';
  if (wasCapped && drawn >= prev.amps - loop.marginAmps / 2) return undefined;
  if (wasCapped || drawn < prev.amps - loop.thresholdAmps) return drawn + loop.marginAmps;
  return undefined;
}

interface PriorityLookup {
  readonly tags: ReadonlyMap<string, number>;
  readonly connectors: ReadonlyMap<string, number>;
  readonly vipTags: ReadonlySet<string>;
  readonly vipConnectors: ReadonlySet<string>;
}

const lookups = new WeakMap<Policy, PriorityLookup>();

function priorityLookup(policy: Policy): PriorityLookup {
  let lookup = lookups.get(policy);
  if (!lookup) {
    const tags = new Map<string, number>();
    const connectors = new Map<string, number>();
    for (const level of policy.priorityLevels) {
      for (const tag of level.idTags) tags.set(tag, level.level);
      for (const ref of level.connectors) connectors.set(ref, level.level);
    }
    lookup = { tags, connectors, vipTags: new Set(policy.vip.idTags), vipConnectors: new Set(policy.vip.connectors) };
    lookups.set(policy, lookup);
  }
  return lookup;
}
