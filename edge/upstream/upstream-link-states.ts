/**
 * Each charger's link to the CSMS as the dashboard and the fleet see it: open or not, since when, and the moments
 * that make an event (an open link lost, a lost link open again). A charger that leaves closes its link on purpose:
 * that is not a loss.
 */
import type { Clock } from '../platform/clock';

export interface UpstreamLinkState {
  readonly connected: boolean;
  /** When it last opened or closed (or the charger came or left). */
  readonly since: number;
}

/** A charger's open link to the CSMS was lost, or a lost one is open again. */
export interface UpstreamLinkChange {
  readonly chargerId: string;
  readonly change: 'lost' | 'recovered';
  readonly at: number;
}

interface Entry extends UpstreamLinkState {
  /** Lost and not open since: its opening is a recovery. */
  readonly down: boolean;
}

export class UpstreamLinkStates {
  private readonly links = new Map<string, Entry>();

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly onChange: (change: UpstreamLinkChange) => void,
  ) {}

  /** The charger connected: its link is being opened. */
  attached(chargerId: string): void {
    this.set(chargerId, false, this.links.get(chargerId)?.down ?? false);
  }

  opened(chargerId: string): void {
    const wasDown = this.links.get(chargerId)?.down ?? false;
    this.set(chargerId, true, false);
    if (wasDown) this.onChange({ chargerId, change: 'recovered', at: this.clock.now() });
  }

  lost(chargerId: string): void {
    this.set(chargerId, false, true);
    this.onChange({ chargerId, change: 'lost', at: this.clock.now() });
  }

  /** The charger left: its link is closed by us, a loss no longer (it reopens when the charger is back). */
  detached(chargerId: string): void {
    this.set(chargerId, false, false);
  }

  /** Undefined for a charger that has not connected since the agent started. */
  state(chargerId: string): UpstreamLinkState | undefined {
    const entry = this.links.get(chargerId);
    return entry && { connected: entry.connected, since: entry.since };
  }

  private set(chargerId: string, connected: boolean, down: boolean): void {
    const before = this.links.get(chargerId);
    const since = before?.connected === connected && before.down === down ? before.since : this.clock.now();
    this.links.set(chargerId, { connected, since, down });
  }
}
