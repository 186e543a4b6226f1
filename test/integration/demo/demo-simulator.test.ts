/**
 * `npm start`'s simulated site (demo/demo-simulator.ts): its chargers dial again, with a real charger's back-off, once
 * the agent's OCPP server closes and opens again (a restart), as the cluster tests' chargers do. Real WebSocket
 * clients against a real ocpp-rpc server; the back-off runs in virtual time.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { RPCServer } from 'ocpp-rpc';
import type RPCServerClient from 'ocpp-rpc/lib/server-client';
import { afterEach, describe, expect, it } from 'vitest';
import { AllocationConsole } from '../../../demo/allocation-console';
import { demoSimulatorOptions } from '../../../demo/demo-simulator';
import { loadEdgeConfig } from '../../../edge/config/load-config';
import { REAL_CHARGER_BACKOFF } from '../../../sim/charger/charger-reconnect';
import { ManualClock } from '../../../sim/charger/sim-clock';
import { createSiteSimulator, type SiteSimulator } from '../../../sim/scenario/site-simulator';
import { eventually } from '../../support/eventually';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const WAIT_MS = 10_000;
const WS_CLOSED = 3;

/** An OCPP server that accepts every charger, as the agent's would; `booted` lists them by identity, in order. */
async function startCentralSystem(port: number) {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  const booted: (string | undefined)[] = [];
  server.on('client', (client: RPCServerClient) => {
    client.handle('BootNotification', () => {
      booted.push(client.identity);
      return Promise.resolve({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 });
    });
    client.handle('StatusNotification', () => Promise.resolve({}));
  });
  const http = await server.listen(port, '127.0.0.1');
  return { server, booted, port: (http.address() as AddressInfo).port };
}

describe("npm start's simulated site", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("should dial the agent again with a real charger's back-off once its OCPP server restarts", async () => {
    // Arrange: the demo's own site and options, without its scenario's cars (only the connections matter here)
    const config = loadEdgeConfig(path.join(ROOT, 'config/demo-site.json'));
    const ids = config.site.chargers.map((c) => c.id);
    const notes: string[] = [];
    const options = demoSimulatorOptions(config, 0, new AllocationConsole((line) => notes.push(line)));
    const clock = new ManualClock();
    const simulator: SiteSimulator = createSiteSimulator({
      ...options,
      scenario: { ...options.scenario, events: [] },
      clock,
    });
    const first = await startCentralSystem(0);
    cleanups.push(() => simulator.stop());
    await simulator.start(`ws://127.0.0.1:${first.port}`);
    await eventually('every charger booted', () => first.booted.length === ids.length, WAIT_MS);

    // Act: the agent stops (its connections closed) and starts again on the same port
    await first.server.close({ force: true });
    const chargers = [...simulator.chargers.values()];
    await eventually(
      'every charger saw its connection close',
      () => chargers.every((c) => c.client.state === WS_CLOSED),
      WAIT_MS,
    );
    let dials = 0;
    for (const charger of chargers) charger.client.on('connecting', () => (dials += 1));
    const second = await startCentralSystem(first.port);
    cleanups.push(() => second.server.close({ force: true }));
    clock.advance(REAL_CHARGER_BACKOFF.firstRetryMs - 1);
    const dialsBeforeFirstRetry = dials;
    clock.advance(1 + (REAL_CHARGER_BACKOFF.randomRangeMs ?? 0));

    // Assert
    expect(dialsBeforeFirstRetry).toBe(0);
    expect(dials).toBe(ids.length);
    await eventually('every charger booted again', () => second.booted.length === ids.length, WAIT_MS);
    expect([...second.booted].sort()).toEqual([...ids].sort());
    await eventually(
      'the console told of each',
      () => notes.filter((n) => n.includes('connected again')).length === ids.length,
      WAIT_MS,
    );
  });
});
