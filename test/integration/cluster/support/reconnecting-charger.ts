/**
 * A simulator charger that reconnects by itself, as a real one does (sim/charger/charger-reconnect.ts: 250 ms doubling
 * up to 2 s unless told another back-off, booting again each time it gets through), counting its connections and failed
 * attempts. What it sends and is answered is on `wire`.
 */
import { ChargerReconnect, type ReconnectBackOff } from '../../../../sim/charger/charger-reconnect';
import { realClock } from '../../../../sim/charger/sim-clock';
import { DEFAULT_CHARGER, VirtualCharger, type VirtualChargerSpec } from '../../../../sim/charger/virtual-charger';
import { ConditionWaiters } from '../../../support/condition-waiters';
import { ChargerWire } from './charger-wire';

export class ReconnectingCharger {
  readonly charger: VirtualCharger;
  readonly wire: ChargerWire;
  /** How many times it got through and booted. */
  boots = 0;
  /** How many times it dialled and did not get through. */
  failedAttempts = 0;
  /** Its connection's last events, for a failing test's message. */
  readonly events: string[] = [];
  /** Each reconnect attempt's outcome and when it ended (epoch ms): what a kept lab shows of a failed retry. */
  readonly attempts: { readonly atMs: number; readonly error?: string }[] = [];
  private readonly reconnect: ChargerReconnect;
  private readonly waiters = new ConditionWaiters();

  constructor(
    id: string,
    password: string,
    url: string,
    connection: Pick<
      VirtualChargerSpec,
      | 'pingIntervalSeconds'
      | 'connectTimeoutSeconds'
      | 'transactionMessageAttempts'
      | 'transactionMessageRetryIntervalSeconds'
    > = {},
    backOff?: ReconnectBackOff,
  ) {
    this.charger = new VirtualCharger(
      { ...DEFAULT_CHARGER, rampDelayMs: 50, id, password, ...connection },
      url,
      realClock,
    );
    this.wire = new ChargerWire(this.charger);
    for (const event of ['connecting', 'open', 'disconnect', 'close', 'socketError'])
      this.charger.client.on(event, (data: unknown) => {
        const message = (data as { message?: unknown } | undefined)?.message;
        this.events.push(typeof message === 'string' ? `${event} ${message}` : event);
        this.events.splice(0, this.events.length - 8);
      });
    this.reconnect = new ChargerReconnect(
      this.charger,
      realClock,
      {
        connected: () => {
          this.attempts.push({ atMs: Date.now() });
          this.booted();
        },
        failed: (error) => {
          this.attempts.push({ atMs: Date.now(), error: String(error) });
          this.events.push(`failed ${String(error)}`);
          this.failedAttempts += 1;
          this.waiters.changed();
        },
      },
      backOff,
    );
  }

  async connect(): Promise<void> {
    await this.charger.connect();
    this.booted();
  }

  /** Resolves once it has booted `count` times in all. */
  bootedTimes(count: number, timeoutMs: number): Promise<void> {
    return this.waiters.until(
      `${this.charger.spec.id} booted ${count} times`,
      () => this.boots >= count,
      timeoutMs,
      () => `${this.boots} boots`,
    );
  }

  async close(): Promise<void> {
    this.reconnect.stop();
    await this.charger.close();
  }

  private booted(): void {
    this.boots += 1;
    this.waiters.changed();
  }
}
