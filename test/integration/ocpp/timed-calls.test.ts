/**
 * The central system's calls to a charger, timed by a plain timer instead of ocpp-rpc's (edge/ocpp/timed-calls.ts),
 * between a real ocpp-rpc server and a real ocpp-rpc client on loopback: ocpp-rpc gets no timeout of its own, and a
 * timeout still counts from when the call goes out, frees the next call, and ends as ocpp-rpc's TimeoutError. Only
 * setTimeout is faked, so the sockets are real and each step waits for the frame it needs.
 */
import type { AddressInfo } from 'node:net';
import { RPCServer, TimeoutError } from 'ocpp-rpc';
import type RPCServerClient from 'ocpp-rpc/lib/server-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { timedCalls } from '../../../edge/ocpp/timed-calls';
import type { RpcCaller } from '../../../edge/ocpp/command-sender';
import { rawChargePoint } from './support/raw-charge-point';

const RESET = { type: 'Soft' } as const;
const TIMEOUT_MS = 1_000;

/** A charger whose Reset answers wait until the test lets each one go, in the order they arrived. */
async function connectedPair() {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true, pingIntervalMs: 0 });
  const connected = new Promise<RPCServerClient>((resolve) => server.on('client', resolve));
  const http = await server.listen(0, '127.0.0.1');
  const charger = rawChargePoint({
    endpoint: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
    identity: 'CP-1',
    pingIntervalMs: 0,
  });
  const unanswered: (() => void)[] = [];
  let arrivals = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  charger.handle('Reset', () => {
    arrivals += 1;
    for (const waiter of waiters.filter((w) => w.count <= arrivals)) waiter.resolve();
    return new Promise((resolve) => unanswered.push(() => resolve({ status: 'Accepted' })));
  });
  await charger.connect();
  const client = await connected;
  return {
    client,
    /** Resolves once the charger has `count` Reset calls (answered or not). */
    arrived: (count: number) =>
      arrivals >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    /** Answers the charger's oldest unanswered Reset. */
    answer: () => unanswered.shift()?.(),
    close: async () => {
      await charger.close({ force: true });
      await server.close({ force: true });
    },
  };
}

describe('timedCalls', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("should hand ocpp-rpc no timeout of its own, so that an answered call builds none of its timeout's objects", async () => {
    // Arrange
    const pair = await connectedPair();
    cleanups.push(pair.close);
    const sent = vi.spyOn(pair.client, 'call');
    const caller = timedCalls(pair.client);

    // Act
    const answer = caller.call('Reset', RESET, { callTimeoutMs: TIMEOUT_MS });
    await pair.arrived(1);
    pair.answer();

    // Assert
    expect(await answer).toEqual({ status: 'Accepted' });
    expect(sent.mock.calls[0]?.[2]).toMatchObject({ callTimeoutMs: Infinity });
  });

  it("should end an unanswered call with ocpp-rpc's TimeoutError after its timeout and send the next call", async () => {
    // Arrange
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pair = await connectedPair();
    cleanups.push(pair.close);
    const caller: RpcCaller = timedCalls(pair.client);
    const first = caller.call('Reset', RESET, { callTimeoutMs: TIMEOUT_MS });
    const second = caller.call('Reset', { ...RESET }, { callTimeoutMs: TIMEOUT_MS });
    await pair.arrived(1);

    // Act
    vi.advanceTimersByTime(TIMEOUT_MS);

    // Assert
    await expect(first).rejects.toBeInstanceOf(TimeoutError);
    await pair.arrived(2);
    pair.answer(); // the first, too late: ocpp-rpc ignores it
    pair.answer();
    expect(await second).toEqual({ status: 'Accepted' });
  });

  it('should count the timeout of a call queued behind a slow one from when it is sent', async () => {
    // Arrange
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pair = await connectedPair();
    cleanups.push(pair.close);
    const caller = timedCalls(pair.client);
    const first = caller.call('Reset', RESET, { callTimeoutMs: TIMEOUT_MS });
    const second = caller.call('Reset', { ...RESET }, { callTimeoutMs: TIMEOUT_MS });
    await pair.arrived(1);
    vi.advanceTimersByTime(TIMEOUT_MS - 100);
    pair.answer();
    expect(await first).toEqual({ status: 'Accepted' });
    await pair.arrived(2);

    // Act: the second call has waited longer than its timeout in all, but not since it was sent
    vi.advanceTimersByTime(TIMEOUT_MS - 100);
    pair.answer();

    // Assert
    expect(await second).toEqual({ status: 'Accepted' });
  });
});
