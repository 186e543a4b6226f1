/**
 * The simulator's charger sends an unanswered transaction message again, as a real one does (OCPP 1.6
 * `TransactionMessageAttempts` / `TransactionMessageRetryInterval`, sim/charger/transaction-messages.ts): against a
 * plain ocpp-rpc central system that drops the connection instead of answering the first StartTransaction, the
 * charger reconnects and sends the same StartTransaction again; with one attempt (the default) it gives up at once.
 */
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import type RPCServerClient from 'ocpp-rpc/lib/server-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ChargerReconnect } from '../../../sim/charger/charger-reconnect';
import { realClock } from '../../../sim/charger/sim-clock';
import { DEFAULT_CAR as CAR } from '../../../sim/charger/virtual-car';
import { DEFAULT_CHARGER, VirtualCharger } from '../../../sim/charger/virtual-charger';

describe('the virtual charger and its transaction messages', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A central system that closes the connection on the first StartTransaction, and answers the next ones. */
  async function droppingFirstStart(starts: unknown[]): Promise<string> {
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    server.on('client', (client: RPCServerClient) => {
      client.handle('BootNotification', () =>
        Promise.resolve({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }),
      );
      client.handle('StatusNotification', () => Promise.resolve({}));
      client.handle('StartTransaction', ({ params }) => {
        starts.push(params);
        if (starts.length === 1) {
          void client.close({ force: true });
          return new Promise(() => undefined);
        }
        return Promise.resolve({ transactionId: 7, idTagInfo: { status: 'Accepted' } });
      });
    });
    const http = await server.listen(0, '127.0.0.1');
    cleanups.push(() => server.close({ force: true }));
    return `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  it('should send an unanswered StartTransaction again, the same one, once it is connected again', async () => {
    // Arrange
    const starts: unknown[] = [];
    const url = await droppingFirstStart(starts);
    const cp = new VirtualCharger(
      { ...DEFAULT_CHARGER, id: 'CP-1', transactionMessageAttempts: 3, transactionMessageRetryIntervalSeconds: 0.05 },
      url,
      realClock,
    );
    const reconnect = new ChargerReconnect(cp, realClock, { connected: () => undefined, failed: () => undefined });
    cleanups.push(async () => {
      reconnect.stop();
      await cp.close();
    });
    await cp.connect();
    await cp.plugIn(CAR);

    // Act
    const transactionId = await cp.startTransaction('TAG-1');

    // Assert
    expect(transactionId).toBe(7);
    expect(starts).toHaveLength(2);
    expect(starts[1]).toEqual(starts[0]);
    expect(cp.configuration('TransactionMessageAttempts')).toBe('3');
  });

  it('should give up at the first failure with a single attempt', async () => {
    // Arrange
    const starts: unknown[] = [];
    const url = await droppingFirstStart(starts);
    const cp = new VirtualCharger({ ...DEFAULT_CHARGER, id: 'CP-1' }, url, realClock);
    cleanups.push(() => cp.close());
    await cp.connect();
    await cp.plugIn(CAR);

    // Act
    const started = cp.startTransaction('TAG-1');

    // Assert
    await expect(started).rejects.toThrow();
    expect(starts).toHaveLength(1);
  });
});
