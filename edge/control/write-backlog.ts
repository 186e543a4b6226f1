/**
 * Store writes that failed, waiting to be retried: one per entity (a newer write of the same key replaces the older
 * one where it stands, so a session's start stays ahead of its stop), retried oldest first until one fails again.
 * Its size follows the number of entities written while the disk was full (sessions, connectors), not the time it stayed full.
 */

export class WriteBacklog {
  private readonly writes = new Map<string, () => void>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.writes.size;
  }

  /**
   * Queues `write` under `key`, replacing a waiting write of the same key (`'latest'`, an energy reading) or leaving
   * it in place (`'first'`, a transaction's stop: the first one wins); false when the backlog is full.
   */
  add(key: string, write: () => void, wins: 'latest' | 'first' = 'latest'): boolean {
    if (this.writes.has(key)) {
      if (wins === 'latest') this.writes.set(key, write);
      return true;
    }
    if (this.writes.size >= this.capacity) return false;
    this.writes.set(key, write);
    return true;
  }

  /** Runs waiting writes oldest first; stops at the first that throws, which stays waiting. Returns how many landed. */
  drain(): { landed: number; error?: unknown } {
    let landed = 0;
    for (const [key, write] of this.writes) {
      try {
        write();
      } catch (error) {
        return { landed, error };
      }
      this.writes.delete(key);
      landed++;
    }
    return { landed };
  }
}
