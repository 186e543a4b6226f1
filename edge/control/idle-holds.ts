/**
 * Idle holds: a 0 A default profile above each charger's fail-safe, renewed like a lease, so that a car plugging into a
 * charger gets nothing until the agent gives it a lease, and a charger the agent can no longer reach gives a new car its
 * fail-safe only once every lease it could meet has run out.
 *
 * Why: without it, a charger with no car reserves nothing while it is online (reserving every idle connector's
 * fail-safe would cost more than the whole budget on large sites). If it drops off while another charger under the
 * same fuse is offline holding a lease above its default, nothing can be cut any more, and a car plugging into the
 * first one drew its default on top of the other's lease: one default over the fuse until that lease ran out.
 *
 * The argument: a hold runs `2 x leaseSeconds` and is renewed once less than `1.5 x leaseSeconds` is left, so while its
 * charger answers it always has more than `coverSeconds` (`7/6 x leaseSeconds`) to run. A charger counts as covered
 * only while its accepted hold has that much left (taken from when the hold was sent, which the charger's `validTo`
 * counts from). Every lease is sent by a round that saw the others covered or reserved their default, and runs out at
 * most `leaseSeconds` after it is sent (the margin covers a lease that waits for cuts before it goes out), so it ends
 * before any covered charger's hold does. When a hold's cover ends (renewals failed: the charger is gone), a round
 * reserves that charger's fail-safe again, and every lease sent before then has ended by the time its hold does.
 */
import type { Clock } from '../platform/clock';
import type { ChargerTime } from './charger-time';
import type { LeaseSender } from './control-ports';

interface Hold {
  /** When the accepted hold ends at the charger (sent at + hold length); undefined until one was accepted. */
  validTo: number | undefined;
  /** The charger refused a hold or does not know the call (no second default): it keeps the fail-safe rules. */
  refused: boolean;
  sending: boolean;
}

export interface IdleHoldSettings {
  readonly leaseSeconds: number;
}

/** How long the most a charger's clock was seen ahead of ours counts, before a smaller lead replaces it. */
const LEAD_WINDOW_MS = 10 * 60_000;

export class IdleHolds {
  private readonly holds = new Map<string, Hold>();
  /** The most each charger's clock was seen ahead of ours lately (ms), and when. */
  private readonly leads = new Map<string, { leadMs: number; at: number }>();

  constructor(
    private readonly sender: LeaseSender,
    private readonly clock: Clock,
    private readonly settings: IdleHoldSettings,
    /** Told when a charger's cover begins (it reserves less) or a refusal is first seen. */
    private readonly onChange: (chargerId: string, outcome: 'covered' | 'refused') => void,
  ) {}

  /** How long a hold runs. */
  get holdSeconds(): number {
    return 2 * this.settings.leaseSeconds;
  }

  /** True while a car plugging in at this charger gets nothing for longer than any lease sent now can run. */
  covers(chargerId: string, now: number): boolean {
    const validTo = this.holds.get(chargerId)?.validTo;
    return validTo !== undefined && validTo - this.leadMs(chargerId) - now >= this.coverMs;
  }

  /**
   * A time the charger reported (a sample, a start): a clock ahead of ours ends its hold that much earlier than we
   * count, so its cover is shortened by the most it was seen ahead over the last ten minutes. A reported time can only
   * show the lead too small (the message was made before it was received), never too large; a clock more than five
   * minutes ahead (its times replaced by ours) is not covered at all.
   */
  noteClock(chargerId: string, time: ChargerTime): void {
    const lead =
      time.source === 'receivedClockAhead'
        ? Number.POSITIVE_INFINITY
        : time.source === 'charger'
          ? time.at - time.receivedAt
          : undefined;
    if (lead === undefined) return;
    const known = this.leads.get(chargerId);
    if (known === undefined || lead >= known.leadMs || time.receivedAt - known.at > LEAD_WINDOW_MS)
      this.leads.set(chargerId, { leadMs: lead, at: time.receivedAt });
  }

  /** The first instant after `now` at which one of these chargers stops being covered (a round must run then). */
  coverEnds(chargerIds: Iterable<string>, now: number): number | undefined {
    let earliest: number | undefined;
    for (const id of chargerIds) {
      const validTo = this.holds.get(id)?.validTo;
      if (validTo === undefined) continue;
      const ends = validTo - this.leadMs(id) - this.coverMs;
      if (ends > now && (earliest === undefined || ends < earliest)) earliest = ends;
    }
    return earliest;
  }

  /** True while the charger's accepted hold is in force: a car without a lease gets nothing there now. */
  holdsAt(chargerId: string, now: number): boolean {
    const validTo = this.holds.get(chargerId)?.validTo;
    return validTo !== undefined && validTo > now;
  }

  /** True when the charger refused its hold (or does not know the call) since it last connected. */
  refuses(chargerId: string): boolean {
    return this.holds.get(chargerId)?.refused === true;
  }

  /**
   * A charger (re)connected: it may support holds now (new firmware). The hold it accepted stays in force (chargers
   * keep their charging profiles across reconnects and reboots), and is renewed in the next round as it is due.
   */
  connected(chargerId: string): void {
    const hold = this.holds.get(chargerId);
    if (hold !== undefined) hold.refused = false;
  }

  /**
   * The charger rebooted: a charger that loses its profiles at a reboot lost its hold too, so it is not counted on
   * (a charger that kept it only reserves more than it needs until the next hold is accepted).
   */
  lost(chargerId: string): void {
    const hold = this.holds.get(chargerId);
    if (hold !== undefined) hold.validTo = undefined;
  }

  /** Sends a hold to each of these (online) chargers whose hold is missing or due for renewal; never waits. */
  renew(chargerIds: Iterable<string>): void {
    const now = this.clock.now();
    const renewBelowMs = 1.5 * this.settings.leaseSeconds * 1000;
    for (const id of chargerIds) {
      let hold = this.holds.get(id);
      if (hold === undefined) {
        hold = { validTo: undefined, refused: false, sending: false };
        this.holds.set(id, hold);
      }
      if (hold.refused || hold.sending) continue;
      if (hold.validTo !== undefined && hold.validTo - now > renewBelowMs) continue;
      void this.send(id, hold, now);
    }
  }

  private leadMs(chargerId: string): number {
    return Math.max(0, this.leads.get(chargerId)?.leadMs ?? 0);
  }

  private get coverMs(): number {
    return ((7 * this.settings.leaseSeconds) / 6) * 1000;
  }

  private async send(chargerId: string, hold: Hold, sentAt: number): Promise<void> {
    hold.sending = true;
    try {
      const outcome = await this.sender.sendIdleHold(chargerId, this.holdSeconds);
      if (this.holds.get(chargerId) !== hold) return;
      if (outcome.kind === 'accepted') {
        const wasCovered = this.covers(chargerId, this.clock.now());
        hold.validTo = sentAt + this.holdSeconds * 1000;
        if (!wasCovered) this.onChange(chargerId, 'covered');
      } else if (outcome.kind === 'rejected' || outcome.kind === 'error') {
        hold.refused = true;
        this.onChange(chargerId, 'refused');
      }
    } catch {
      // A failed send leaves the hold as it was: its cover runs out unless a later renewal is accepted.
    } finally {
      hold.sending = false;
    }
  }
}
