/**
 * What each charger enforces right now, whoever set it: its accepted lease until it expires, else its fail-safe
 * default, else (when it refused that) its own maximum; and what its car may still draw while it follows a cut.
 * The allocation reserves it for chargers we do not control now, and the raise gate counts it for everyone.
 */
import type { ConnectorAllocation } from '../../shared/allocation/allocation-types';
import type { Policy } from '../../shared/policy/policy-schema';
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { Charger } from '../../shared/site/site-schema';
import { unleasedAmps } from './allocation-targets';
import type { IdleHolds } from './idle-holds';
import type { LeaseDispatcher } from './lease-dispatcher';
import type { Holding } from './raise-gate';
import type { SiteRuntime } from './site-runtime';

export interface EnforcedLimitsDeps {
  readonly runtime: SiteRuntime;
  readonly dispatcher: LeaseDispatcher;
  readonly holds: IdleHolds;
  readonly chargers: () => ReadonlyMap<string, Charger>;
  readonly policy: () => Policy;
  readonly carResponseMs: number;
}

export class EnforcedLimits {
  constructor(private readonly deps: EnforcedLimitsDeps) {}

  /** What a running transaction holds without a lease in force (it may still hold an old lease's fail-safe tail). */
  unleased(chargerId: string): number {
    const charger = this.deps.chargers().get(chargerId);
    return charger === undefined
      ? 0
      : unleasedAmps(charger, this.deps.runtime.failSafeInstalled(chargerId), this.deps.policy());
  }

  /**
   * What a car plugging in now gets until its lease arrives, for as long as a lease sent now could run: nothing while
   * the charger's idle hold covers it, else what a transaction holds without a lease.
   */
  newCar(chargerId: string, now: number): number {
    return this.deps.holds.covers(chargerId, now) ? 0 : this.unleased(chargerId);
  }

  /** What a car that plugged in at `at` got there and then: nothing while the charger's hold was in force. */
  atPlugIn(chargerId: string, at: number): number {
    return this.deps.holds.holdsAt(chargerId, at) ? 0 : this.unleased(chargerId);
  }

  /**
   * True while a car on this charger has no lease of its own yet: it runs on the charger's default, so a first idle
   * hold landing now would stop it until its lease follows (a hold does not touch a car under its TxProfile lease).
   */
  carWithoutLease(chargerId: string): boolean {
    return this.deps.runtime
      .sessionsByRef()
      .some(([ref, s]) => s.chargerId === chargerId && !this.deps.dispatcher.leased(ref, s.transactionId));
  }

  /** What a connector enforces at `now`, or enforced until its car had time to follow (a lease that just expired). */
  reserved(chargerId: string, connectorId: number, now: number): number {
    const session = this.deps.runtime.sessionAt(chargerId, connectorId);
    if (session === undefined) return this.newCar(chargerId, now);
    const unleased = this.unleased(chargerId);
    const target = {
      ref: formatConnectorRef(chargerId, connectorId),
      transactionId: session.transactionId,
      unleasedAmps: unleased,
    };
    return Math.max(
      this.deps.dispatcher.enforced(target, now),
      this.deps.dispatcher.enforced(target, now - this.deps.carResponseMs),
    );
  }

  /**
   * What a connector's car may draw now: a reserved charger what it was allocated (what it enforces), else its lease or
   * default, or more while a car still follows a cut (it has `carResponseMs` to).
   */
  holding(a: ConnectorAllocation, now: number): Holding {
    if (a.reason === 'offline' || a.reason === 'unresponsive' || a.reason === 'unconfigured')
      return { enforcedAmps: a.amps, mayDrawAmps: a.amps };
    const session = this.deps.runtime.sessionByRef(a.ref);
    if (session === undefined) return { enforcedAmps: 0, mayDrawAmps: 0 };
    // Without a lease in force the car holds what its history says: nothing under the idle hold, else its fail-safe
    // (a lease's tail, or the default): a first lease from 0 is a raise, and waits for the cuts that make room for it.
    const held = session.history.heldAt(now, this.deps.carResponseMs);
    const enforcedAmps = this.deps.dispatcher.enforced(
      { ref: a.ref, transactionId: session.transactionId, unleasedAmps: held.limitAmps },
      now,
    );
    return { enforcedAmps, mayDrawAmps: Math.max(enforcedAmps, held.mayDrawAmps) };
  }
}
