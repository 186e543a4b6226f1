/** Records the agent's control events and waits, with a bound, until a condition on them holds. */
import type { Allocation } from '../../../../shared/allocation/allocation-types';
import type { ControlEvent, ControlEventType } from '../../../../edge/control/control-events';
import type { ControlObserver } from '../../../../edge/control/control-ports';
import { ConditionWaiters } from '../../../support/condition-waiters';

export class ControlRecorder implements ControlObserver {
  readonly events: ControlEvent[] = [];
  latest: Allocation | undefined;
  private readonly waiters = new ConditionWaiters();

  onControlEvent(event: ControlEvent): void {
    this.events.push(event);
    if (event.type === 'allocation') this.latest = event.allocation;
    this.waiters.changed();
  }

  /** The events of `type`, those at or after `since` when given (a meter reported lost while the agent started is not the fault a test made). */
  of<T extends ControlEventType>(type: T, since = Number.NEGATIVE_INFINITY): Extract<ControlEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<ControlEvent, { type: T }> => e.type === type && e.at >= since);
  }

  amps(ref: string): number | undefined {
    return this.latest?.connectors.find((c) => c.ref === ref)?.amps;
  }

  /** Resolves once `check` holds after some control event (or at once); rejects after `timeoutMs`. */
  until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
    return this.waiters.until(
      what,
      check,
      timeoutMs,
      () => `latest: ${JSON.stringify(this.latest?.connectors.map((c) => [c.ref, c.amps, c.reason]))}`,
    );
  }
}
