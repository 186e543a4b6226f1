/** Per-connector inputs of one allocation round: who wants current, on which grid phases, between which bounds. */
import type { Policy } from '../policy/policy-schema';
import { REQUESTING_STATUSES, type ConnectorState } from '../site/site-state';
import { drawnPhases } from '../site/drawn-phases';
import type { PhaseIndex } from '../units';
import { ByRef } from './by-ref';
import { PrevActivity, type PreviousRound } from './previous-round';
import type { SiteTopology } from './site-topology';
import { f64 } from './typed-access';

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
  /** Online without a car, but it holds no fail-safe default yet (it just booted): what it enforces is reserved. */
  Unconfigured: 4,
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
  /** The charger's own maximum (maxSteps before any closed-loop cap). */
  readonly chargerMaxSteps: Int32Array;
  /** The car's closed-loop cap in amps, binding or not (0: none), carried to the next round. */
  readonly carCapAmps: Float64Array;
  /** Steps reserved for offline and unresponsive connectors, on the phases in `phaseMask`. */
  readonly reservedSteps: Int32Array;
  /**
   * Steps an offline charger's default reserves on its phases outside `phaseMask`: its car may leave and another plug
   * in unseen, and that car gets the default on every phase of the charger.
   */
  readonly idleReservedSteps: Int32Array;
  readonly klass: Int32Array;
  readonly priority: Int32Array;
  readonly vip: Uint8Array;
  readonly energyWh: Float64Array;
  /** The previous allocation, as arrays. */
  readonly previous: PreviousRound;
  /**
   * Our own measured draw per grid phase (3 per connector): the smaller of what the car drew and what it was last
   * allowed, since a car that was just cut back still shows its old draw. Zero when unknown or stale.
   */
  readonly ownDrawAmps: Float64Array;
}

/** Converts amps to whole steps, rounding down (limits) or up (minimums). */
export const stepsDown = (amps: number, stepAmps: number): number => Math.floor(amps / stepAmps + 1e-9);
export const stepsUp = (amps: number, stepAmps: number): number => Math.ceil(amps / stepAmps - 1e-9);

/** Builds every connector's demand from the topology, runtime states, the previous allocation and the policy. */
export function connectorDemand(
  topology: SiteTopology,
  states: readonly ConnectorState[],
  previous: PreviousRound,
  policy: Policy,
  levels: PriorityLookup,
  now: number,
): ConnectorDemand {
  const n = topology.connectors.length;
  const step = policy.granularityAmps;
  const stateOf = new ByRef(topology, states);
  const d = {
    n,
    role: new Uint8Array(n),
    phaseMask: new Uint8Array(n),
    phaseCount: new Uint8Array(n),
    minSteps: new Int32Array(n),
    maxSteps: new Int32Array(n),
    cappedByCar: new Uint8Array(n),
    chargerMaxSteps: new Int32Array(n),
    carCapAmps: new Float64Array(n),
    reservedSteps: new Int32Array(n),
    idleReservedSteps: new Int32Array(n),
    klass: new Int32Array(n),
    priority: new Int32Array(n),
    vip: new Uint8Array(n),
    energyWh: new Float64Array(n),
    previous,
    ownDrawAmps: new Float64Array(3 * n),
  };
  const maxAgeMs = policy.measurementMaxAgeSeconds * 1000;
  for (let i = 0; i < n; i++) {
    const c = topology.connectors[i]!;
    const charger = topology.chargers[c.chargerIndex]!;
    const state = stateOf.at(i);
    const session = state?.session;
    const fresh = session?.measured && now - session.measured.at <= maxAgeMs ? session.measured : undefined;
    const prevAmps = f64(previous.amps, i);
    if (fresh && previous.activity[i] !== PrevActivity.None) {
      // The car was allowed prevAmps on the charger's first `phases` phases, and nothing on the others.
      const phases = previous.phases[i]!;
      for (let k = 0; k < 3; k++)
        d.ownDrawAmps[3 * i + charger.gridPhases[k as PhaseIndex]] = Math.min(
          fresh.amps[k as PhaseIndex],
          k < phases ? prevAmps : 0,
        );
    }
    const carPhases = Math.min(session?.carPhases ?? (fresh ? drawnPhases(fresh.amps) : 3) ?? 3, charger.phases);
    let mask = 0;
    for (let k = 0; k < carPhases; k++) mask |= 1 << charger.gridPhases[k as PhaseIndex];
    d.phaseMask[i] = mask;
    d.phaseCount[i] = carPhases;
    d.energyWh[i] = session?.energyWh ?? 0;
    const idTag = session?.idTag;
    const tagLevel = idTag === undefined || levels.tags.size === 0 ? 0 : (levels.tags.get(idTag) ?? 0);
    const refLevel = levels.connectors.size === 0 ? 0 : (levels.connectors.get(c.ref) ?? 0);
    const priority = Math.max(c.priority, tagLevel, refLevel);
    const vip =
      policy.vip.enabled &&
      (c.vip || levels.vipConnectors.has(c.ref) || (idTag !== undefined && levels.vipTags.has(idTag)));
    d.priority[i] = priority;
    d.vip[i] = vip ? 1 : 0;
    d.klass[i] = vip ? VIP_CLASS : policy.distribution !== 'equal' ? priority : 0;
    if (state?.link === 'offline') {
      // An offline charger goes on enforcing what it holds, and unseen a car may leave and another plug in, which
      // gets the charger's default on all its phases: each connector is reserved at the larger of what it enforces
      // (its lease, else its default) and that default on its car's phases, and at the default on the others.
      const unleased = state.unleasedAmps ?? policy.failSafe.connectorAmps;
      d.role[i] = Role.Offline;
      d.reservedSteps[i] = stepsUp(Math.max(state.enforcedAmps ?? unleased, unleased), step);
      d.idleReservedSteps[i] = carPhases < charger.phases ? stepsUp(unleased, step) : 0;
      continue;
    }
    if (state?.link === 'online' && !session && state.enforcedAmps !== undefined) {
      // A charger that booted and holds no default yet gives a car that plugs in its own maximum, on all its phases.
      d.role[i] = Role.Unconfigured;
      d.reservedSteps[i] = stepsUp(state.enforcedAmps, step);
      continue;
    }
    if (!state || !session || !REQUESTING_STATUSES.has(state.status)) continue;
    if (state.link === 'unresponsive') {
      d.role[i] = Role.Unresponsive;
      d.reservedSteps[i] = stepsUp(state.enforcedAmps ?? Math.max(prevAmps, policy.failSafe.connectorAmps), step);
      continue;
    }
    d.role[i] = Role.Candidate;
    const minSteps = stepsUp(c.minAmps, step);
    const chargerSteps = stepsDown(c.maxAmps, step);
    const carAmps = closedLoopCap(policy, previous, i, fresh, carPhases, now);
    // Rounded up, so a capped car keeps at least the whole margin above its draw.
    const carSteps = carAmps === undefined ? chargerSteps : Math.max(minSteps, stepsUp(carAmps, step));
    d.minSteps[i] = minSteps;
    d.maxSteps[i] = Math.min(chargerSteps, carSteps);
    d.cappedByCar[i] = carSteps < chargerSteps ? 1 : 0;
    d.chargerMaxSteps[i] = chargerSteps;
    d.carCapAmps[i] = carAmps === undefined ? 0 : Math.round(carSteps * step * 10) / 10;
  }
  return d;
}

/**
 * Closed loop: a car that draws clearly less than it was offered keeps its draw plus a margin, its cap. The cap is
 * remembered while something else holds the car below it (a building-load rise, a pause), so a raise later stops at
 * the cap at once instead of overshooting and finding out again. A car offered its cap that draws up to it again is
 * released (it wants more), so no car starves. Only measurements taken after the last change had time to settle are
 * judged; a session's end (the connector idle) forgets the cap.
 */
/** A car drawing less than this has not started (or has stopped): its samples say nothing of what it can take. */
export const STARTED_AMPS = 1;
/** How long after a change settled its measurements judge a car at the plain threshold (at least). */
const JUDGE_WINDOW_MS = 5_000;

function closedLoopCap(
  policy: Policy,
  previous: PreviousRound,
  i: number,
  measured: { amps: readonly [number, number, number]; at: number; steadyAtAmps?: number } | undefined,
  carPhases: number,
  now: number,
): number | undefined {
  const loop = policy.closedLoop;
  const activity = previous.activity[i];
  if (!loop.enabled || (activity !== PrevActivity.Active && activity !== PrevActivity.Paused)) return undefined;
  const cap = f64(previous.carCapAmps, i) > 0 ? f64(previous.carCapAmps, i) : undefined;
  const offered = f64(previous.amps, i);
  // Until a measurement taken after the last change had time to settle, the cap stays as it is.
  if (activity !== PrevActivity.Active || offered <= 0) return cap;
  if (!measured || measured.at > now) return cap;
  let drawn = 0;
  for (let k = 0; k < carPhases; k++) drawn = Math.max(drawn, measured.amps[k as PhaseIndex]);
  // A car shown steady at the limit it is offered (and drawing: one not started yet says nothing) is judged at once;
  // any other only on measurements taken `settleSeconds` after the change.
  const steady = measured.steadyAtAmps !== undefined && Math.abs(measured.steadyAtAmps - offered) < 1e-6;
  if (!(steady && drawn >= STARTED_AMPS) && measured.at < previous.changedAt[i]! + loop.settleSeconds * 1000)
    return cap;
  const newCap = drawn + loop.marginAmps;
  // The settled measurements right after a change judge at the threshold; later ones (nothing changed since) at twice
  // it, so a car drawing near the threshold is not capped on one noisy sample minutes later, and one tapering off is.
  const judgedUntil =
    previous.changedAt[i]! + loop.settleSeconds * 1000 + Math.max(loop.settleSeconds * 1000, JUDGE_WINDOW_MS);
  const threshold = (measured.at <= judgedUntil ? 1 : 2) * loop.thresholdAmps;
  if (cap === undefined) return drawn < offered - threshold ? newCap : undefined;
  if (offered >= cap) {
    if (drawn >= offered - loop.marginAmps / 2) return undefined;
    // A capped car keeps its cap while it draws about the same: a new cap only when that is clearly lower again.
    return newCap <= cap - loop.thresholdAmps ? newCap : cap;
  }
  // Held below its cap by something else: it draws what it is offered (nothing learnt), or clearly less (a lower cap).
  return drawn < offered - threshold ? Math.min(cap, newCap) : cap;
}

/** The policy's priority levels and VIP lists as lookups by id tag and connector ref. */
export interface PriorityLookup {
  readonly tags: ReadonlyMap<string, number>;
  readonly connectors: ReadonlyMap<string, number>;
  readonly vipTags: ReadonlySet<string>;
  readonly vipConnectors: ReadonlySet<string>;
}

/** Builds the priority and VIP lookups of a policy (the allocator keeps them while the policy object stays the same). */
export function priorityLookup(policy: Policy): PriorityLookup {
  const tags = new Map<string, number>();
  const connectors = new Map<string, number>();
  for (const level of policy.priorityLevels) {
    for (const tag of level.idTags) tags.set(tag, level.level);
    for (const ref of level.connectors) connectors.set(ref, level.level);
  }
  return { tags, connectors, vipTags: new Set(policy.vip.idTags), vipConnectors: new Set(policy.vip.connectors) };
}
