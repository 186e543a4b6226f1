/**
 * What a round needs from the previous allocation, as arrays in topology order. The allocator keeps these arrays
 * for every allocation it returns, so the usual previous allocation (its own last one) is not read back from its
 * 10,000 objects; any other is read once, matched by connector ref.
 */
import { BOOT_RESERVATION, RAISE_GATE, type Allocation, type ConnectorActivity } from './allocation-types';
import { ByRef } from './by-ref';
import type { SiteTopology } from './site-topology';

/** `activity` codes. */
export const PrevActivity = { None: 0, Active: 1, Paused: 2, Idle: 3 } as const;
const ACTIVITY_CODES = { active: PrevActivity.Active, paused: PrevActivity.Paused, idle: PrevActivity.Idle } as const;

/** The `PrevActivity` code of an activity. */
export const activityCode = (activity: ConnectorActivity): number => ACTIVITY_CODES[activity];

/** Per connector of a topology: the previous allocation's activity (None when it had no entry), amps and times. */
export interface PreviousRound {
  readonly activity: Uint8Array;
  readonly amps: Float64Array;
  readonly since: Float64Array;
  readonly changedAt: Float64Array;
  /** Phases the car charged on. */
  readonly phases: Uint8Array;
  /** The closed-loop cap the car had (0: none). */
  readonly carCapAmps: Float64Array;
  /**
   * 1 where the car's pause is not one it must sit out (`minPauseSeconds`): it was at 0 only because the control loop
   * held its raise back until there was room (a car that just plugged in waits for the others' cuts), or because a lost
   * meter's fallback had no room for it (`pausedMeterLost`), or a booting charger's maximum was reserved for a few round
   * trips (`BOOT_RESERVATION`).
   */
  readonly freeToResume: Uint8Array;
  /**
   * 1 where the car was charging at less than its share because the control loop held the rest of its raise back
   * (`RAISE_GATE`) until the measured circuits had room: a change under way, which hysteresis does not freeze.
   */
  readonly raiseHeld: Uint8Array;
}

/** Empty arrays for `n` connectors, to be filled while an allocation is built. */
export function emptyRound(n: number): PreviousRound {
  return {
    activity: new Uint8Array(n),
    amps: new Float64Array(n),
    since: new Float64Array(n),
    changedAt: new Float64Array(n),
    phases: new Uint8Array(n),
    carCapAmps: new Float64Array(n),
    freeToResume: new Uint8Array(n),
    raiseHeld: new Uint8Array(n),
  };
}

/**
 * The arrays of every allocation one allocator built, kept with it (weakly) for the round that gets it back as its
 * previous. Allocations are readonly, so an allocation met again still matches the arrays kept with it.
 */
export class KeptRounds {
  private readonly kept = new WeakMap<Allocation, { readonly topology: SiteTopology; readonly round: PreviousRound }>();

  /** Keeps the arrays of an allocation just built for `topology`. */
  keep(allocation: Allocation, topology: SiteTopology, round: PreviousRound): void {
    this.kept.set(allocation, { topology, round });
  }

  /** The previous allocation as arrays in `topology` order. */
  of(topology: SiteTopology, previous: Allocation | undefined): PreviousRound {
    const n = topology.connectors.length;
    if (!previous) return emptyRound(n);
    const known = this.kept.get(previous);
    if (known?.topology === topology) return known.round;
    const round = emptyRound(n);
    const at = new ByRef(topology, previous.connectors);
    for (let i = 0; i < n; i++) {
      const prev = at.at(i);
      if (!prev) continue;
      round.activity[i] = ACTIVITY_CODES[prev.activity];
      round.amps[i] = prev.amps;
      round.since[i] = prev.since;
      round.changedAt[i] = prev.changedAt;
      round.phases[i] = prev.phases;
      // An allocation stored before caps were kept: a car held by its own draw had its cap as its limit.
      round.carCapAmps[i] = prev.carCapAmps ?? (prev.boundBy === 'car' ? prev.amps : 0);
      round.freeToResume[i] =
        prev.activity === 'paused' && (isFreePause(prev.boundBy) || prev.reason === 'pausedMeterLost') ? 1 : 0;
      round.raiseHeld[i] = prev.activity === 'active' && prev.boundBy === RAISE_GATE ? 1 : 0;
    }
    return round;
  }
}

/** A pause the control loop marked as no choice of ours: the car sits out no minimum pause. */
const isFreePause = (boundBy: string | undefined): boolean => boundBy === RAISE_GATE || boundBy === BOOT_RESERVATION;
