/**
 * The two-gateway rule against half-open sockets (docs/cluster.md, "The two-gateway rule"), fast and without network
 * namespaces: two real central systems on 127.0.0.1, each with its two-gateway node, and chargers (real ocpp-rpc
 * clients) that dial gw-a through a relay which can leave gw-a a half-open socket (support/half-open-proxy.ts). The
 * chargers gw-a holds move to gw-b while gw-a's sockets stay open and silent, as behind a partition; at no instant may
 * both nodes let their chargers exceed the fail-safe.
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterConfigSchema } from '../../../edge/cluster/cluster-config';
import { createTwoGatewayNode, type TwoGatewayNode } from '../../../edge/cluster/two-gateway-node';
import { eventually } from '../../support/eventually';
import { CountingTransactionIds, type Fixture, startCentralSystem } from '../ocpp/support/central-system-fixture';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { HalfOpenProxy } from './support/half-open-proxy';

const CHARGERS = ['CP-1', 'CP-2', 'CP-3'].map((id) => ({
  id,
  password: `${id}-secret`,
  phases: 3 as const,
  maxAmps: 32,
}));
const SITE = CHARGERS.map((c) => c.id);
/** The central systems' WebSocket ping interval, and the nodes' lease: short, so that a majority counts in seconds. */
const PING_SECONDS = 2;
const LEASE_SECONDS = 0.5;
/** Long enough for a node to count its chargers and hold its majority (the arrival wait and two leases), with slack. */
const MAJORITY_MS = 15_000;

interface Gateway {
  readonly fixture: Fixture;
  readonly node: TwoGatewayNode;
  /** What the allocation would be told now: true when the chargers may exceed the fail-safe. */
  exceeding(): boolean;
}

describe('two gateways without a witness, a charger moved with a half-open socket left behind', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function gateway(nodeId: string): Promise<Gateway> {
    const fixture = await startCentralSystem(CHARGERS, { pingIntervalSeconds: PING_SECONDS });
    cleanups.push(() => fixture.close());
    const config = ClusterConfigSchema.parse({ nodeId, witness: false, staticOrder: ['gw-a', 'gw-b'] });
    const node = createTwoGatewayNode(config, {
      localIds: new CountingTransactionIds(),
      connectedChargers: () => fixture.connections.liveness(),
      siteChargerIds: () => SITE,
      failSafeAmps: () => 6,
      leaseSeconds: LEASE_SECONDS,
      pingIntervalSeconds: PING_SECONDS,
      now: () => Date.now(),
      log: { info: () => undefined, error: () => undefined },
    });
    node.start(undefined);
    cleanups.push(() => node.stop());
    return { fixture, node, exceeding: () => node.ceilings.ceiling('CP-1', 1, 3) === undefined };
  }

  function charger(id: string, port: number): RPCClient {
    const spec = CHARGERS.find((c) => c.id === id)!;
    const client = rawChargePoint({ endpoint: `ws://127.0.0.1:${port}/ocpp`, identity: id, password: spec.password });
    cleanups.push(() => client.close({ force: true }));
    return client;
  }

  it('should never let both nodes exceed the fail-safe while the old node still holds the moved chargers half-open', async () => {
    // Arrange: every charger on gw-a, through a relay each; gw-a holds its majority
    const [a, b] = [await gateway('gw-a'), await gateway('gw-b')];
    const proxies = new Map<string, HalfOpenProxy>();
    for (const id of SITE) {
      const proxy = await HalfOpenProxy.start(a.fixture.cs.port);
      cleanups.push(() => proxy.close());
      proxies.set(id, proxy);
      await charger(id, proxy.port).connect();
    }
    const both: number[] = [];
    const seen = { a: false, b: false };
    const watch = setInterval(() => {
      const [onA, onB] = [a.exceeding(), b.exceeding()];
      seen.a ||= onA;
      seen.b ||= onB;
      if (onA && onB) both.push(Date.now());
    }, 20);
    cleanups.push(() => clearInterval(watch));
    await eventually('gw-a exceeds the fail-safe', () => seen.a, MAJORITY_MS);

    // Act: two chargers move to gw-b, each right after it answered gw-a's ping (the worst case: gw-a heard it last just
    // then); gw-a's sockets to them stay open, and nothing comes through them any more
    for (const id of ['CP-1', 'CP-2']) {
      const heard = a.fixture.connections.get(id)?.answeredPingAt;
      await eventually(
        `gw-a hears ${id} again`,
        () => a.fixture.connections.get(id)?.answeredPingAt !== heard,
        3 * PING_SECONDS * 1000,
      );
      proxies.get(id)!.cut();
      await charger(id, b.fixture.cs.port).connect();
    }
    await eventually('gw-b exceeds the fail-safe', () => seen.b, MAJORITY_MS);
    await eventually(
      'gw-a drops the half-open chargers',
      () => !a.fixture.connections.get('CP-1'),
      4 * PING_SECONDS * 1000,
    );

    // Assert
    expect(both).toEqual([]);
    expect(a.exceeding()).toBe(false);
    expect(b.exceeding()).toBe(true);
  }, 40_000);
});
