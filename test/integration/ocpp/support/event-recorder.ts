/** Records the central system's domain events and waits, with a bound, for the one a test expects. */
import type { ChargerEventListener } from '../../../../edge/ocpp/central-system-ports';
import type { ChargerEvent, ChargerEventType } from '../../../../edge/ocpp/charger-events';

type EventOf<T extends ChargerEventType> = Extract<ChargerEvent, { type: T }>;

export class EventRecorder implements ChargerEventListener {
  readonly events: ChargerEvent[] = [];
  private waiters: { match: (e: ChargerEvent) => boolean; resolve: (e: ChargerEvent) => void }[] = [];

  onEvent(event: ChargerEvent): void {
    this.events.push(event);
    const ready = this.waiters.filter((w) => w.match(event));
    this.waiters = this.waiters.filter((w) => !w.match(event));
    ready.forEach((w) => w.resolve(event));
  }

  of<T extends ChargerEventType>(type: T, chargerId?: string): EventOf<T>[] {
    return this.events.filter(
      (e): e is EventOf<T> => e.type === type && (chargerId === undefined || e.chargerId === chargerId),
    );
  }

  /** The first event (already seen or still to come) of `type` for which `match` holds; rejects after `timeoutMs`. */
  waitFor<T extends ChargerEventType>(
    type: T,
    match: (e: EventOf<T>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<EventOf<T>> {
    const test = (e: ChargerEvent): e is EventOf<T> => e.type === type && match(e as EventOf<T>);
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match: test,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as EventOf<T>);
        },
      });
    });
  }
}
