/**
 * A simulator charger that reconnects by itself, as a real one does (the simulator's VirtualCharger is driven by its
 * tests and does not): once its connection closes it dials the same URL again with a back-off of 250 ms doubling up
 * to 2 s, and boots again (BootNotification, StatusNotification) each time it gets through. What it sends and is
 * answered is on `wire`.
 */
import { realClock } from '../../../../sim/charger/sim-clock';
import { DEFAULT_CHARGER, VirtualCharger, type VirtualChargerSpec } from '../../../../sim/charger/virtual-charger';
import { ConditionWaiters } from '../../../support/condition-waiters';
import { ChargerWire } from './charger-wire';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2_000;

export class ReconnectingCharger {
  readonly charger: VirtualCharger;
  readonly wire: ChargerWire;
  /** How many times it got through and booted. */
  boots = 0;
  /** How many times it dialled and did not get through. */
  failedAttempts = 0;
  /** Its connection's last events, for a failing test's message. */
  readonly events: string[] = [];
  private reconnecting = false;
  private closed = false;
  private cancelRetry = () => {};
  private readonly waiters = new ConditionWaiters();

  constructor(
    id: string,
    password: string,
    url: string,
    connection: Pick<VirtualChargerSpec, 'pingIntervalSeconds' | 'connectTimeoutSeconds'> = {},
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
    this.charger.client.on('close', () => {
      if (!this.closed && !this.reconnecting) this.retry(0);
    });
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
    this.closed = true;
    this.cancelRetry();
    await this.charger.close();
  }

  private retry(attempt: number): void {
    this.reconnecting = true;
    const timer = setTimeout(
      () => {
        this.charger.connect().then(
          () => {
            this.reconnecting = false;
            this.booted();
          },
          (error: unknown) => {
            this.events.push(`failed ${String(error)}`);
            this.failedAttempts += 1;
            this.waiters.changed();
            if (!this.closed) this.retry(attempt + 1);
          },
        );
      },
      Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt),
    );
    this.cancelRetry = () => clearTimeout(timer);
  }

  private booted(): void {
    this.boots += 1;
    this.waiters.changed();
  }
}
