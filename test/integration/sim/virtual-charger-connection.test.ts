/**
 * The simulator's charger against a plain ocpp-rpc central system: asked for its BootNotification (TriggerMessage, as
 * a cluster's new master asks every charger that reconnects to it), it accepts and sends its boot and status again;
 * with its reconnect back-off (charger-reconnect.ts), a connection the central system closes is dialled again, not
 * before the back-off's wait and its random part have passed.
 */
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import type RPCServerClient from 'ocpp-rpc/lib/server-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ChargerReconnect } from '../../../sim/charger/charger-reconnect';
import { ManualClock, realClock } from '../../../sim/charger/sim-clock';
import { DEFAULT_CHARGER, VirtualCharger } from '../../../sim/charger/virtual-charger';
import { eventually } from '../../support/eventually';

describe('the virtual charger and its connection', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should accept a TriggerMessage for BootNotification and send its boot and status again', async () => {
    // Arrange
    const received: string[] = [];
    let charger: RPCServerClient | undefined;
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    server.on('client', (client: RPCServerClient) => {
      charger = client;
      client.handle('BootNotification', () => {
        received.push('BootNotification');
        return Promise.resolve({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 });
      });
      client.handle('StatusNotification', () => {
        received.push('StatusNotification');
        return Promise.resolve({});
      });
    });
    const http = await server.listen(0, '127.0.0.1');
    cleanups.push(() => server.close({ force: true }));
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const cp = new VirtualCharger({ ...DEFAULT_CHARGER, id: 'CP-1' }, url, realClock);
    cleanups.push(() => cp.close());
    await cp.connect();

    // Act
    const answer = await charger?.call('TriggerMessage', { requestedMessage: 'BootNotification' });

    // Assert
    expect(answer).toEqual({ status: 'Accepted' });
    await eventually('the boot and status sent again', () => received.length === 4, 5_000);
    expect(received).toEqual(['BootNotification', 'StatusNotification', 'BootNotification', 'StatusNotification']);
  });

  it('should dial again and boot again when the central system closes its connection', async () => {
    // Arrange
    const boots: RPCServerClient[] = [];
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    server.on('client', (client: RPCServerClient) => {
      client.handle('BootNotification', () => {
        boots.push(client);
        return Promise.resolve({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 });
      });
      client.handle('StatusNotification', () => Promise.resolve({}));
    });
    const http = await server.listen(0, '127.0.0.1');
    cleanups.push(() => server.close({ force: true }));
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const cp = new VirtualCharger({ ...DEFAULT_CHARGER, id: 'CP-1' }, url, realClock);
    let reconnected = 0;
    const reconnect = new ChargerReconnect(cp, realClock, { connected: () => (reconnected += 1), failed: () => {} });
    cleanups.push(() => (reconnect.stop(), cp.close()));
    await cp.connect();

    // Act
    await boots[0]?.close({ code: 1012, reason: 'service restart' });

    // Assert
    await eventually('the charger back and booted', () => reconnected === 1 && boots.length === 2, 5_000);
    expect(boots[1]).not.toBe(boots[0]);
  });

  it('should wait its back-off plus the random part before it dials again', async () => {
    // Arrange: a wait of 1 s doubling to 8 s, plus up to 2 s at random (half of it here)
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    const accepted: RPCServerClient[] = [];
    server.on('client', (client: RPCServerClient) => {
      accepted.push(client);
      client.handle('BootNotification', () =>
        Promise.resolve({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }),
      );
      client.handle('StatusNotification', () => Promise.resolve({}));
    });
    const http = await server.listen(0, '127.0.0.1');
    cleanups.push(() => server.close({ force: true }));
    const clock = new ManualClock();
    const cp = new VirtualCharger(
      { ...DEFAULT_CHARGER, id: 'CP-1' },
      `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
      clock,
    );
    const dials: number[] = [];
    const reconnect = new ChargerReconnect(
      cp,
      clock,
      { connected: () => undefined, failed: () => {} },
      { firstRetryMs: 1_000, maxRetryMs: 8_000, randomRangeMs: 2_000 },
      () => 0.5,
    );
    cleanups.push(() => (reconnect.stop(), cp.close()));
    await cp.connect();
    cp.client.on('connecting', () => dials.push(clock.now()));
    const closedAt = clock.now();

    // Act
    await accepted[0]?.close({ code: 1012, reason: 'service restart' });
    await eventually('the charger sees its connection closed', () => cp.client.state === 3, 5_000);
    clock.advance(1_999);
    const dialsBefore = dials.length;
    clock.advance(1);

    // Assert
    expect(dialsBefore).toBe(0);
    await eventually('the charger dials again', () => dials.length === 1, 5_000);
    expect(dials).toEqual([closedAt + 2_000]);
  });
});
