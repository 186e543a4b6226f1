/** The last events and faults the dashboard shows (newest first), bounded so that a noisy site never grows memory. */
import type { EventEntry } from '../../../shared/dashboard/api-answers';

export class EventLog {
  private readonly entries: EventEntry[] = [];

  constructor(private readonly capacity = 200) {}

  add(entry: EventEntry): void {
    this.entries.unshift(entry);
    if (this.entries.length > this.capacity) this.entries.length = this.capacity;
  }

  recent(limit = 50): EventEntry[] {
    return this.entries.slice(0, limit);
  }
}
