/**
 * Fresh MeterValues when the loop needs them (TriggerMessage): once a car had time to follow a changed limit, and when
 * a sudden rise of other load must be told apart from a car that started drawing. So the estimates of each car's draw
 * catch up within seconds however long the charger's own MeterValues interval is.
 */
import type { Policy } from '../../shared/policy/policy-schema';
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { Clock } from '../platform/clock';
import type { LeaseSender } from './control-ports';
import type { SiteRuntime } from './site-runtime';

/** When a charger is first asked for a sample after a changed limit. */
const SAMPLE_EARLY_MS = 1_500;

export class SampleRequests {
  private readonly timers = new Map<string, () => void>();

  constructor(
    private readonly clock: Clock,
    private readonly sender: LeaseSender,
    private readonly runtime: SiteRuntime,
    private readonly carResponseMs: number,
  ) {}

  /** After a changed limit: most cars follow within a second or two, then every car must have (IEC 61851), then closed loop may judge it. */
  afterChange(chargerId: string, connectorId: number, policy: Policy): void {
    const ref = formatConnectorRef(chargerId, connectorId);
    this.timers.get(ref)?.();
    const loop = policy.closedLoop;
    const delays = [
      Math.min(SAMPLE_EARLY_MS, this.carResponseMs / 2),
      this.carResponseMs,
      ...(loop.enabled ? [loop.settleSeconds * 1000 + 100] : []),
    ];
    const cancels = delays.map((ms) => this.clock.after(ms, () => this.ask(chargerId, connectorId)));
    this.timers.set(ref, () => cancels.forEach((cancel) => cancel()));
  }

  /** Every online charger with a session, now. */
  fromEveryCar(): void {
    for (const [, session] of this.runtime.sessionsByRef()) this.ask(session.chargerId, session.connectorId);
  }

  /** Cancels every pending request (the loop stops). */
  cancelAll(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private ask(chargerId: string, connectorId: number): void {
    if (this.runtime.link(chargerId) === 'online') void this.sender.requestMeterValues(chargerId, connectorId);
  }
}
