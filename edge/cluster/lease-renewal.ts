/**
 * Keeps an etcd lease alive with keepalives this node sends itself (`lease.keepaliveOnce`), each timed on the injected
 * clock from when it left, rather than on etcd3's own keepalive stream. That stream sits on one member and is given up
 * only when etcd3's stream timeout (the TTL) or the client's connection ping finds it dead: frozen or silent there, the
 * lease ran out at etcd first (the presence key lapsed, node-presence.test.ts). Used by the leadership (its fence
 * deadline counts from each confirmed send, fence-deadline.ts) and by the presence key.
 *
 * A keepalive is never cut short: it may take until it could no longer count (`usefulMs` after it left), since a late
 * answer still proves the lease alive from its send time, while one abandoned at a deadline is counted by etcd3 as its
 * member's failure (the member set aside, its connections closed; with a sixth of the TTL each, the slow answers of a
 * loaded machine or of etcd electing a leader set the healthy members aside and the master fenced itself,
 * leadership-slow-etcd.test.ts). While none of a round is confirmed, another leaves every quarter of the period beside
 * it: etcd3 picks a member for each, so one that went silent holds up only the keepalives that drew it.
 */
import type { Lease } from 'etcd3';
import type { Clock } from '../platform/clock';

export interface LeaseRenewalOptions {
  readonly lease: Lease;
  readonly clock: Clock;
  /** A round starts this long after the last confirmed keepalive left. */
  readonly renewEveryMs: number;
  /** How long one keepalive may take: until it could no longer count (a leader's: the TTL less its fence margin). */
  readonly usefulMs: number;
  /** A keepalive sent at `sentAtMs` was answered: the lease lives at least `grantedTtlSeconds` from then. */
  readonly confirmed?: (sentAtMs: number, grantedTtlSeconds: number) => void;
  /** A round of the loop was confirmed (not told for `once`). */
  readonly renewed?: () => void;
}

export class LeaseRenewal {
  private lastConfirmedSendMs = Number.NEGATIVE_INFINITY;
  private stopped = false;
  private cancelRound = () => {};

  constructor(private readonly options: LeaseRenewalOptions) {}

  /** Starts the loop: its first round in `firstInMs`. */
  start(firstInMs: number): void {
    this.roundIn(firstInMs);
  }

  /** Stops the loop; answers that come later are ignored. */
  stop(): void {
    this.stopped = true;
    this.cancelRound();
  }

  /**
   * One keepalive now; resolves once it is confirmed. Rejects when it fails; a lease etcd no longer has rejects with
   * etcd3's `EtcdLeaseInvalidError`, and etcd3 emits the lease's `lost`.
   */
  async once(): Promise<void> {
    const sentAtMs = this.options.clock.now();
    const answer = await this.options.lease.keepaliveOnce({ deadline: new Date(Date.now() + this.options.usefulMs) });
    if (this.stopped) return;
    this.lastConfirmedSendMs = Math.max(this.lastConfirmedSendMs, sentAtMs);
    this.options.confirmed?.(sentAtMs, Number(answer.TTL));
  }

  private roundIn(ms: number): void {
    this.cancelRound();
    if (this.stopped) return;
    this.cancelRound = this.options.clock.after(ms, () => {
      this.roundIn(this.options.renewEveryMs / 4);
      this.once().then(
        () => {
          if (this.stopped) return;
          const nowMs = this.options.clock.now();
          this.roundIn(Math.max(0, this.lastConfirmedSendMs + this.options.renewEveryMs - nowMs));
          this.options.renewed?.();
        },
        () => undefined,
      );
    });
  }
}
