/**
 * The nodes' presence as last read, kept beside each read: what a node announced (its addresses and OCPP port) stays
 * known once its key is gone or etcd does not answer, so the Network page still dials it there. A peer that is up
 * but cut off from etcd's quorum, or etcd itself without one, is exactly when that reach matters.
 */
import type { Announcement } from './node-presence';

/** A site has at most 9 nodes; room for some replaced over a node's life. */
const MAX_REMEMBERED = 32;

export class PresenceMemory {
  private readonly announced = new Map<string, Announcement>();

  constructor(private readonly presence: { present(): Promise<Map<string, Announcement>> }) {}

  /** The nodes present now (as NodePresence reads them), each one's announcement remembered. */
  async present(): Promise<Map<string, Announcement>> {
    const present = await this.presence.present();
    for (const [id, announcement] of present) {
      if (announcement.addresses.length === 0) continue;
      this.announced.delete(id);
      this.announced.set(id, announcement);
    }
    // The oldest announcements go first.
    for (const id of this.announced.keys()) if (this.announced.size > MAX_REMEMBERED) this.announced.delete(id);
    return present;
  }

  /** What `id` announced at the last read that found its key with addresses; undefined when never. */
  lastKnown(id: string): Announcement | undefined {
    return this.announced.get(id);
  }

  /** The nodes ever read with addresses (at most 32). */
  known(): string[] {
    return [...this.announced.keys()];
  }
}
