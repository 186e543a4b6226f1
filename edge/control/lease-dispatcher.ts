/**
 * Sends allocations to chargers as expiring leases: decreases first, increases only once every decrease holds,
 * retries with back-off, and tells which chargers stopped answering.
 */
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { LinkState } from '../../shared/site/site-state';
import type { Clock } from '../platform/clock';
import type { AppliedLimit, ControlObserver, ControlStateStore, LeaseSender } from './control-ports';
import { enforcedAmps, planDispatch, type LeaseOrder, type LeaseTarget } from './dispatch-plan';

export interface DispatchSettings {
  readonly leaseSeconds: number;
  readonly unresponsiveAfterFailures: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
}

export interface DispatchOutcome {
  /** Chargers whose link changed (answered again, or stopped answering). */
  readonly links: readonly { readonly chargerId: string; readonly link: LinkState }[];
  /** Increases held back because a decrease did not hold yet. */
  readonly increasesHeld: number;
  /** The earliest time a failed lease may be retried. */
  readonly retryAt: number | undefined;
}

/** A lease another master may have left on a connector, as `assumeUnknownLease` takes it. */
export interface UnknownLease {
  readonly ref: string;
  readonly chargerId: string;
  readonly connectorId: number;
  readonly transactionId: number;
  readonly amps: number;
  readonly phases: 1 | 2 | 3;
  /** When this node adopted the transaction. */
  readonly at: number;
  /** When the lease ends, when the ledger says; else when a lease sent at `at` would have run out. */
  readonly expiresAt?: number;
  /** What the connector holds once the lease has run out. */
  readonly unleasedAmps: number;
}

interface Failure {
  count: number;
  nextAttemptAt: number;
}

/** Told when the limit a connector's charger may hold changes, so the car's draw can be judged against it. */
export type LimitListener = (
  order: Pick<LeaseOrder, 'chargerId' | 'connectorId' | 'transactionId'>,
  at: number,
  amps: number,
  confirmed?: boolean,
) => void;

export interface DispatcherDeps {
  readonly sender: LeaseSender;
  readonly clock: Clock;
  readonly state: ControlStateStore;
  readonly observer: ControlObserver;
  readonly onLimit: LimitListener;
}

export class LeaseDispatcher {
  private readonly accepted = new Map<string, AppliedLimit>();
  /** Accepted leases of chargers that reconnected since: still possibly enforced, no longer known to be. */
  private readonly unconfirmed = new Set<string>();
  private readonly failures = new Map<string, Failure>();
  private readonly chargerFailures = new Map<string, number>();

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly settings: DispatchSettings,
  ) {
    for (const limit of deps.state.appliedLimits())
      this.accepted.set(formatConnectorRef(limit.chargerId, limit.connectorId), limit);
  }

  /** What a connector's charger enforces now, for reserving unresponsive chargers' share. */
  enforced(target: Pick<LeaseTarget, 'ref' | 'transactionId' | 'unleasedAmps'>, now: number): number {
    return enforcedAmps(target, this.accepted.get(target.ref), now, this.unconfirmed.has(target.ref));
  }

  /** True when the charger accepted a lease for this transaction (its last period, the fail-safe, lasts as long). */
  leased(ref: string, transactionId: number): boolean {
    return this.accepted.get(ref)?.transactionId === transactionId;
  }

  /** The earliest instant after `now` at which a lease of one of `refs` expires. */
  earliestExpiry(refs: readonly string[], now: number): number | undefined {
    let earliest: number | undefined;
    for (const ref of refs) {
      const expiresAt = this.accepted.get(ref)?.expiresAt;
      if (expiresAt !== undefined && expiresAt > now && (earliest === undefined || expiresAt < earliest))
        earliest = expiresAt;
    }
    return earliest;
  }

  /**
   * A transaction another master leased (a cluster takeover): its lease is held as `lease.amps` until it ends, then the
   * connector falls back to `lease.unleasedAmps`; one that has ended already leaves the connector at that. A lease this
   * node sends replaces it.
   */
  assumeUnknownLease(lease: UnknownLease): void {
    const expiresAt = lease.expiresAt ?? lease.at + this.settings.leaseSeconds * 1000;
    if (expiresAt <= lease.at) {
      this.accepted.delete(lease.ref);
      this.deps.onLimit(lease, lease.at, lease.unleasedAmps);
      return;
    }
    const limit: AppliedLimit = {
      chargerId: lease.chargerId,
      connectorId: lease.connectorId,
      transactionId: lease.transactionId,
      amps: lease.amps,
      phases: lease.phases,
      acceptedAt: lease.at,
      expiresAt,
    };
    this.accepted.set(lease.ref, limit);
    this.deps.onLimit(lease, lease.at, lease.amps);
    this.deps.onLimit(lease, limit.expiresAt, lease.unleasedAmps);
  }

  /** The transaction on this connector ended: its lease went with it. */
  forget(chargerId: string, connectorId: number): void {
    const ref = formatConnectorRef(chargerId, connectorId);
    this.failures.delete(ref);
    this.unconfirmed.delete(ref);
    if (this.accepted.delete(ref)) this.deps.state.deleteAppliedLimit(chargerId, connectorId);
  }

  /**
   * A charger (re)connected: its failures start over, and what it accepted before is no longer taken for granted, so
   * its limits are sent again. Until it accepts one, it may still enforce its old lease (OCPP 1.6: a profile stays in
   * force without its central system) or, had it restarted and lost the profile, what it holds without one: the higher
   * of the two is reserved for it until the old lease runs out.
   */
  reconnected(chargerId: string): void {
    const prefix = this.forgetFailures(chargerId);
    for (const ref of this.accepted.keys()) if (ref.startsWith(prefix)) this.unconfirmed.add(ref);
  }

  /** The site no longer lists this charger: nothing of it is kept. */
  dropCharger(chargerId: string): void {
    const prefix = this.forgetFailures(chargerId);
    for (const ref of this.accepted.keys())
      if (ref.startsWith(prefix)) {
        this.accepted.delete(ref);
        this.unconfirmed.delete(ref);
      }
  }

  /**
   * The agent started again: the leases it restored were accepted before, and each connector's history learns what its
   * charger may enforce until they run out; the sender hears of them too (its cap applies to them until they are
   * replaced). `of` tells, per lease, what its connector holds once it ran out (`unleased`), the lease's tail as a
   * lease sent now carries it (`failSafe`: never a just-booted charger's maximum, see `LeaseTarget.failSafeAmps`), and
   * its car's minimum.
   */
  restoreLimits(of: {
    readonly unleased: (limit: AppliedLimit) => number;
    readonly failSafe: (limit: AppliedLimit) => number;
    readonly minAmps: (limit: AppliedLimit) => number;
  }): void {
    const now = this.deps.clock.now();
    for (const limit of this.accepted.values()) {
      if (limit.expiresAt <= now) continue;
      this.deps.onLimit(limit, limit.acceptedAt, limit.amps);
      this.deps.onLimit(limit, limit.expiresAt, of.unleased(limit));
      const { connectorId, transactionId, amps, phases } = limit;
      const leaseSeconds = Math.floor((limit.expiresAt - limit.acceptedAt) / 1000);
      const lease = { connectorId, transactionId, amps, phases, minAmps: of.minAmps(limit), leaseSeconds };
      this.deps.sender.restored?.(limit.chargerId, { ...lease, fallbackAmps: of.failSafe(limit) }, limit.expiresAt);
    }
  }

  async dispatch(targets: readonly LeaseTarget[]): Promise<DispatchOutcome> {
    const now = this.deps.clock.now();
    const plan = planDispatch(
      targets,
      (ref) => this.accepted.get(ref),
      (ref) => this.unconfirmed.has(ref),
      now,
      (this.settings.leaseSeconds * 1000 * 2) / 3,
    );
    const due = (order: LeaseOrder) => (this.failures.get(order.ref)?.nextAttemptAt ?? 0) <= now;
    const links: { chargerId: string; link: LinkState }[] = [];
    const firstResults = await Promise.all(plan.first.filter(due).map((order) => this.send(order, links)));
    const waiting = plan.first.some((order) => order.gating && !due(order));
    const held = waiting || firstResults.some((r) => r.gating && !r.ok);
    if (!held) await Promise.all(plan.second.filter(due).map((order) => this.send(order, links)));
    let retryAt: number | undefined;
    for (const failure of this.failures.values())
      retryAt = retryAt === undefined ? failure.nextAttemptAt : Math.min(retryAt, failure.nextAttemptAt);
    return { links, increasesHeld: held ? plan.second.length : 0, retryAt };
  }

  private async send(
    order: LeaseOrder,
    links: { chargerId: string; link: LinkState }[],
  ): Promise<{ ok: boolean; gating: boolean }> {
    const { leaseSeconds } = this.settings;
    // A charger may apply a cut before it answers: from now on the car may draw that little.
    if (order.change === 'decrease') this.deps.onLimit(order, this.deps.clock.now(), order.amps, false);
    const result = await this.deps.sender.sendLease(order.chargerId, {
      connectorId: order.connectorId,
      transactionId: order.transactionId,
      amps: order.amps,
      phases: order.phases,
      minAmps: order.minAmps,
      leaseSeconds,
      fallbackAmps: order.failSafeAmps,
    });
    const at = this.deps.clock.now();
    if (result.kind === 'accepted') {
      const limit: AppliedLimit = {
        chargerId: order.chargerId,
        connectorId: order.connectorId,
        transactionId: order.transactionId,
        amps: order.amps,
        phases: order.phases,
        acceptedAt: at,
        expiresAt: Math.min(at + leaseSeconds * 1000, result.expiresAt ?? Number.POSITIVE_INFINITY),
      };
      this.accepted.set(order.ref, limit);
      this.unconfirmed.delete(order.ref);
      this.deps.state.saveAppliedLimit(limit);
      this.deps.onLimit(order, at, order.amps);
      // Once it runs out, the lease's own tail holds: the fail-safe, whatever the charger allowed without a lease when
      // it was sent (its maximum, the fail-safe not yet confirmed, counted as held then let a raise from the tail pass
      // the gate as no raise at all)
      this.deps.onLimit(order, limit.expiresAt, order.failSafeAmps);
      this.failures.delete(order.ref);
      this.chargerFailures.delete(order.chargerId);
      if (order.link === 'unresponsive') links.push({ chargerId: order.chargerId, link: 'online' });
      this.deps.observer.onControlEvent({
        type: 'profileAccepted',
        at,
        chargerId: order.chargerId,
        connectorId: order.connectorId,
        amps: order.amps,
        change: order.change,
      });
      return { ok: true, gating: order.gating };
    }
    if (order.change === 'decrease') this.deps.onLimit(order, at, this.enforced(order, at));
    const count = (this.failures.get(order.ref)?.count ?? 0) + 1;
    const retryInMs = Math.min(this.settings.retryInitialMs * 2 ** (count - 1), this.settings.retryMaxMs);
    this.failures.set(order.ref, { count, nextAttemptAt: at + retryInMs });
    this.deps.observer.onControlEvent({
      type: 'profileFailed',
      at,
      chargerId: order.chargerId,
      connectorId: order.connectorId,
      amps: order.amps,
      outcome: result.kind,
      failures: count,
      retryInMs,
    });
    // A disconnected charger is reported by its own event; the others count towards being unresponsive.
    if (result.kind !== 'notConnected') {
      const chargerCount = (this.chargerFailures.get(order.chargerId) ?? 0) + 1;
      this.chargerFailures.set(order.chargerId, chargerCount);
      if (order.link === 'online' && chargerCount >= this.settings.unresponsiveAfterFailures)
        links.push({ chargerId: order.chargerId, link: 'unresponsive' });
    }
    return { ok: false, gating: order.gating };
  }

  /** Forgets a charger's failures; returns the prefix of its connectors' refs. */
  private forgetFailures(chargerId: string): string {
    this.chargerFailures.delete(chargerId);
    const prefix = `${chargerId}/`;
    for (const ref of this.failures.keys()) if (ref.startsWith(prefix)) this.failures.delete(ref);
    return prefix;
  }
}
