/**
 * One charger's WebSocket to its CSMS: an ocpp-rpc client with the charger's identity (the CSMS sees the charger's own
 * path and name), strict OCPP 1.6 validation, one call in flight at a time, and our own reconnect loop (exponential
 * back-off with full jitter, on an injected clock and random source) instead of ocpp-rpc's.
 */
import ocppRpc, { RPCClient } from 'ocpp-rpc';
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client';
import type { Logger } from 'pino';
import type { RpcCaller } from '../ocpp/command-sender';
import { timedCalls } from '../ocpp/timed-calls';
import type { Clock } from '../platform/clock';
import { reconnectDelayMs, type ReconnectDelays } from './reconnect-delay';
import type { UpstreamEndpoint } from './upstream-config';

const { TimeoutError } = ocppRpc;

/** ws's readyStates, which ocpp-rpc's `state` reports. */
const CONNECTING = 0;
const OPEN = 1;

export interface UpstreamTls {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

export interface UpstreamLinkOptions {
  readonly chargerId: string;
  readonly endpoint: UpstreamEndpoint;
  readonly tls: UpstreamTls | undefined;
  readonly reconnect: ReconnectDelays;
  /** Larger frames from the CSMS close the link (as on the charger side). */
  readonly maxFrameBytes: number;
}

export interface UpstreamLinkDeps {
  readonly clock: Clock;
  readonly random: () => number;
  readonly log: Logger;
  /** A call the CSMS makes to the charger; its answer (or error) goes back to the CSMS. */
  onCall(method: string, params: unknown): Promise<Record<string, unknown>>;
  /** The link is open (again). */
  onOpen(): void;
  /** The open link was lost (not closed by us). */
  onLost(): void;
}

export class UpstreamLink {
  private readonly client: RPCClient;
  /** The client's calls timed on the injected clock from when each is sent (not when it is queued). */
  private readonly timed: RpcCaller;
  private attempt = 0;
  private cancelRetry: (() => void) | undefined;
  /** When the pending retry is due (meaningful while `cancelRetry` is set). */
  private retryAt = 0;
  private stopped = false;
  private wasOpen = false;
  private readonly openWaiters = new Set<(open: boolean) => void>();
  private readonly delays: ReconnectDelays;

  constructor(
    options: UpstreamLinkOptions,
    private readonly deps: UpstreamLinkDeps,
  ) {
    this.delays = options.reconnect;
    const clientOptions: Partial<RPC_ClientOptions> = {
      identity: options.chargerId,
      endpoint: options.endpoint.url,
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
      callConcurrency: 1,
      ...(options.endpoint.password !== undefined && { password: options.endpoint.password }),
      wsOpts: { maxPayload: options.maxFrameBytes, perMessageDeflate: false, ...options.tls },
    };
    this.client = new RPCClient(clientOptions as RPC_ClientOptions);
    this.timed = timedCalls(this.client, (ms, fn) => deps.clock.after(ms, fn));
    this.client.handle(({ method, params }) => deps.onCall(method ?? '', params));
    this.client.on('close', ({ code }: { code?: number }) => {
      // Whoever waits for the link hears at once that this attempt failed: the charger is answered without waiting.
      for (const settle of [...this.openWaiters]) settle(false);
      if (this.stopped) return;
      if (this.wasOpen) deps.onLost();
      this.wasOpen = false;
      deps.log.warn({ code }, 'csms link closed');
      this.scheduleRetry();
    });
  }

  get isOpen(): boolean {
    return this.client.state === OPEN;
  }

  /** Open, or an attempt under way: a call may be answered soon (between attempts it would not). */
  get isOpenOrOpening(): boolean {
    return this.client.state === OPEN || this.client.state === CONNECTING;
  }

  /** Connects now; later attempts follow the back-off until `close`. */
  start(): void {
    this.connect();
  }

  /** True once the link is open, false when it is not within `timeoutMs`. */
  whenOpen(timeoutMs: number): Promise<boolean> {
    if (this.isOpen) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (open: boolean) => {
        cancel();
        this.openWaiters.delete(settle);
        resolve(open);
      };
      const cancel = this.deps.clock.after(timeoutMs, () => settle(false));
      this.openWaiters.add(settle);
    });
  }

  /**
   * Sends a call to the CSMS; rejects on a CALLERROR, a closed link, or with a TimeoutError when no answer came within
   * `timeoutMs` on the injected clock from when the call went out (then the call is abandoned: the next one may go, a
   * late answer is ignored). A call waits behind the one in flight (a charger's message passed through while the
   * forward log drains): its time starts when it is sent. Timed from when it was made, a call whose time ran out while
   * it waited went out with no timeout at all (ocpp-rpc listens for the abort only once it sends the call), so a CSMS
   * that never answered it held the link's queue until the link closed.
   */
  async call(method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    try {
      return await this.timed.call(method, params, { callTimeoutMs: timeoutMs });
    } catch (error) {
      if (error instanceof TimeoutError) throw new TimeoutError(`${method}: no answer within ${timeoutMs} ms`);
      throw error;
    }
  }

  /**
   * The CSMS answers again (another link of the site got through): a retry due later than `withinMs` from now is
   * brought forward to a moment drawn uniformly below it, so the site's links come back together but not in one burst.
   */
  retrySoon(withinMs: number): void {
    if (this.stopped || this.cancelRetry === undefined || this.retryAt <= this.deps.clock.now() + withinMs) return;
    this.cancelRetry();
    this.cancelRetry = undefined;
    this.scheduleRetry(Math.floor(this.deps.random() * withinMs));
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    for (const settle of [...this.openWaiters]) settle(false);
    await this.client.close({ code: 1001, reason: 'charger disconnected' }).catch(() => undefined);
  }

  private connect(): void {
    this.client.connect().then(
      () => {
        if (this.stopped) return void this.client.close({ code: 1001 }).catch(() => undefined);
        this.attempt = 0;
        this.wasOpen = true;
        this.deps.log.info('csms link open');
        for (const settle of [...this.openWaiters]) settle(true);
        this.deps.onOpen();
      },
      (error: unknown) => this.deps.log.warn({ err: (error as Error).message }, 'csms link failed'),
    );
  }

  /** Schedules the next attempt after `delayMs`, or after the back-off's next delay. */
  private scheduleRetry(delayMs?: number): void {
    if (this.cancelRetry !== undefined || this.stopped) return;
    const delay = delayMs ?? reconnectDelayMs(this.attempt, this.delays, this.deps.random);
    this.attempt++;
    this.retryAt = this.deps.clock.now() + delay;
    this.cancelRetry = this.deps.clock.after(delay, () => {
      this.cancelRetry = undefined;
      if (!this.stopped) this.connect();
    });
  }
}
