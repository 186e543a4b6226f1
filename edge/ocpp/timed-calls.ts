/**
 * Outbound calls to a charger with their timeout on a plain timer instead of ocpp-rpc's. For every call with a timeout,
 * ocpp-rpc builds a `TimeoutError` (its stack captured), an `AbortController` and a `timers/promises` timer, and aborts
 * that timer when the answer comes, which builds a `DOMException` `AbortError` (stack again) and rejects a promise: at
 * 1,000 chargers about a tenth of the built agent's busy time and part of its garbage (docs/benchmarks.md). Here the call
 * goes to ocpp-rpc without a timeout of its own and with an abort signal, and a plain timer aborts it only if no answer
 * came: what a timed-out call does is unchanged (ocpp-rpc forgets it, the next queued call goes out, a late answer is
 * ignored), and the caller still gets ocpp-rpc's `TimeoutError`.
 *
 * The timer starts when ocpp-rpc sends the call (its `call` event, emitted just before the frame is written), as its own
 * timer did: ocpp-rpc sends one call at a time per charger, so a call queued behind a slow one still gets its whole
 * timeout from the moment the charger sees it.
 */
import ocppRpc from 'ocpp-rpc';
import type { RpcCaller } from './command-sender';

// The error classes are spread into ocpp-rpc's CommonJS exports, which Node's ESM loader cannot name: take them from the default export.
const { TimeoutError } = ocppRpc;

/** What ocpp-rpc's client emits for each call it sends or receives. */
interface CallEvent {
  readonly outbound?: boolean;
  readonly payload?: readonly unknown[];
}

/** The part of an ocpp-rpc client that sends calls and reports them as they go out. */
export interface CallingClient extends RpcCaller {
  on(event: 'call', listener: (event: CallEvent) => void): unknown;
}

/** Where the call's params sit in an OCPP-J CALL frame: `[2, messageId, action, params]`. */
const PARAMS_INDEX = 3;

/** Runs `fn` after `ms`; returns what cancels it. */
export type StartTimer = (ms: number, fn: () => void) => () => void;

const machineTimer: StartTimer = (ms, fn) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

/**
 * `client`'s calls, those with a finite `callTimeoutMs` timed by a plain timer (see above), on the machine's clock or
 * the one `startTimer` gives; others go through as they are.
 */
export function timedCalls(client: CallingClient, startTimer: StartTimer = machineTimer): RpcCaller {
  /** The calls waiting to be sent, by their params object, each with what starts its timer. */
  const unsent = new Map<unknown, () => void>();
  client.on('call', (event) => {
    if (event.outbound === true) unsent.get(event.payload?.[PARAMS_INDEX])?.();
  });
  return {
    call: (method, params, options) => {
      const timeoutMs = options?.callTimeoutMs;
      // The frame is recognised by its params object; without one of its own (or with the caller's signal) ocpp-rpc times it.
      if (
        options === undefined ||
        typeof timeoutMs !== 'number' ||
        !(timeoutMs > 0 && timeoutMs < Infinity) ||
        typeof params !== 'object' ||
        params === null ||
        unsent.has(params) ||
        options.signal !== undefined
      )
        return client.call(method, params, options);
      return callWithTimer(client, unsent, startTimer, method, params, options, timeoutMs);
    },
  };
}

async function callWithTimer(
  client: RpcCaller,
  unsent: Map<unknown, () => void>,
  startTimer: StartTimer,
  method: string,
  params: object,
  options: Record<string, unknown>,
  timeoutMs: number,
): Promise<unknown> {
  const abandon = new AbortController();
  let cancelTimer = (): void => {};
  const onSent = () => {
    unsent.delete(params);
    cancelTimer = startTimer(timeoutMs, () => abandon.abort());
  };
  unsent.set(params, onSent);
  try {
    return await client.call(method, params, { ...options, callTimeoutMs: Infinity, signal: abandon.signal });
  } catch (error) {
    if (abandon.signal.aborted) throw new TimeoutError('Call timeout');
    throw error;
  } finally {
    if (unsent.get(params) === onSent) unsent.delete(params);
    cancelTimer();
  }
}
