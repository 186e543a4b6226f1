/**
 * Fresh MeterValues when the loop needs them (TriggerMessage): once a car had time to follow a changed limit, and when
 * a sudden rise of other load must be told apart from a car that started drawing. So the estimates of each car's draw
 * catch up within seconds however long the charger's own MeterValues interval is.
 *
 * Each reason to ask (soon after a change, once the car must have followed, once closed loop may judge) is a slot per
 * connector. A new change moves a waiting slot's request later, to that many seconds after the new change, but never
 * more than the slot's own delay past when it was first due: limits that change every few tenths of a second (a burst
 * of arrivals cuts every car a little each time) postponed every request without end, and 500 cars went a minute
 * without a sample while their draw counted as nothing in the safe estimate. A slot that fired before the last change
 * was due asks again that long after it, so the last change is always followed by every slot's sample.
 */
import type { Policy } from '../../shared/policy/policy-schema';
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { Clock } from '../platform/clock';
import type { LeaseSender } from './control-ports';
import type { SiteRuntime } from './site-runtime';

/** When a charger is first asked for a sample after a changed limit. */
const SAMPLE_EARLY_MS = 1_500;
/** While a rise of other load is unconfirmed, every car is asked at once, and again this long after if it lasts. */
const RISE_ASK_EVERY_MS = 1_000;

interface Slot {
  /** When the waiting request was first due (it moves later with new changes, up to `delayMs` past this). */
  readonly firstDueAt: number;
  readonly cancel: () => void;
}

export class SampleRequests {
  /** Per connector ref: its slots by delay, and the instant of its last changed limit. */
  private readonly pending = new Map<string, { lastChangeAt: number; slots: Map<number, Slot> }>();
  /** When every car was last asked because of an unconfirmed rise. */
  private riseAskedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly sender: LeaseSender,
    private readonly runtime: SiteRuntime,
    private readonly carResponseMs: number,
  ) {}

  /** After a changed limit: most cars follow within a second or two, then every car must have (IEC 61851), then closed loop may judge it. */
  afterChange(chargerId: string, connectorId: number, policy: Policy): void {
    const ref = formatConnectorRef(chargerId, connectorId);
    const now = this.clock.now();
    const loop = policy.closedLoop;
    const delays = [
      Math.min(SAMPLE_EARLY_MS, this.carResponseMs / 2),
      this.carResponseMs,
      // A second sample after the response time shows a car steady, so closed loop can judge it before settleSeconds.
      ...(loop.enabled ? [this.carResponseMs + SAMPLE_EARLY_MS, loop.settleSeconds * 1000 + 100] : []),
    ];
    let entry = this.pending.get(ref);
    if (entry === undefined) {
      entry = { lastChangeAt: now, slots: new Map() };
      this.pending.set(ref, entry);
    }
    entry.lastChangeAt = now;
    for (const delayMs of delays) {
      const slot = entry.slots.get(delayMs);
      const firstDueAt = slot?.firstDueAt ?? now + delayMs;
      slot?.cancel();
      this.schedule(ref, chargerId, connectorId, delayMs, firstDueAt, Math.min(now + delayMs, firstDueAt + delayMs));
    }
  }

  /**
   * While a sudden rise of other load is unconfirmed (other-load.ts): every online charger with a session, at once and
   * then once a second while it lasts (a car still ramping when it first answered explains the rest of the rise a
   * second later). A car that started drawing since its charger last reported then explains the rise, which is dropped,
   * before it is confirmed as other load and stands as such until that charger's next MeterValues, a minute later at
   * 60 s intervals.
   */
  duringUnconfirmedRise(): void {
    const now = this.clock.now();
    if (now < this.riseAskedAt + RISE_ASK_EVERY_MS) return;
    this.riseAskedAt = now;
    for (const [, session] of this.runtime.sessionsByRef()) this.ask(session.chargerId, session.connectorId);
  }

  /** Cancels every pending request (the loop stops). */
  cancelAll(): void {
    for (const entry of this.pending.values()) for (const slot of entry.slots.values()) slot.cancel();
    this.pending.clear();
  }

  private schedule(
    ref: string,
    chargerId: string,
    connectorId: number,
    delayMs: number,
    firstDueAt: number,
    at: number,
  ): void {
    const cancel = this.clock.after(at - this.clock.now(), () => {
      const entry = this.pending.get(ref);
      if (entry === undefined) return;
      entry.slots.delete(delayMs);
      this.ask(chargerId, connectorId);
      // Fired early for a later change (it was postponed as far as allowed): that change gets its own request too.
      const followUp = entry.lastChangeAt + delayMs;
      const now = this.clock.now();
      if (followUp > now) this.schedule(ref, chargerId, connectorId, delayMs, followUp, followUp);
      else if (entry.slots.size === 0) this.pending.delete(ref);
    });
    this.pending.get(ref)?.slots.set(delayMs, { firstDueAt, cancel });
  }

  private ask(chargerId: string, connectorId: number): void {
    if (this.runtime.link(chargerId) === 'online') void this.sender.requestMeterValues(chargerId, connectorId);
  }
}
