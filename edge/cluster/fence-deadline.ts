/**
 * The local deadline by which a leader must have stopped acting: its lease can have expired at etcd no earlier than
 * the moment the last confirmed keepalive was *sent* plus the lease's TTL, so the node stops a safety margin before
 * that (the margin covers the two clocks running at slightly different rates and the time one leader action takes).
 * The send time, not the answer's arrival, is what counts: an answer that arrives late (a process frozen with
 * SIGSTOP, a slow network) says nothing about when etcd renewed the lease, only that it did so after the request left.
 */
export class FenceDeadline {
  private deadlineMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ttlSeconds: number,
    private readonly marginMs: number,
  ) {}

  /** A keepalive sent at `sentAtMs` was answered with the lease alive for `grantedTtlSeconds` (etcd may raise the TTL). */
  confirmed(sentAtMs: number, grantedTtlSeconds: number): void {
    const ttlMs = Math.min(this.ttlSeconds, grantedTtlSeconds) * 1000;
    this.deadlineMs = Math.max(this.deadlineMs, sentAtMs + ttlMs - this.marginMs);
  }

  /** Forgets every confirmation: a new lease starts with none. */
  reset(): void {
    this.deadlineMs = Number.NEGATIVE_INFINITY;
  }

  /** Epoch ms after which the node may no longer act as leader. */
  get atMs(): number {
    return this.deadlineMs;
  }

  /** True once `nowMs` has reached the deadline. */
  passed(nowMs: number): boolean {
    return nowMs >= this.deadlineMs;
  }
}
