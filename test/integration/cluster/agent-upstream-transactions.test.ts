/**
 * A cluster in front of an operator's CSMS (docs/cluster.md, "In front of an operator's CSMS"): a transaction the CSMS
 * answered through the relay goes to the ledger under `transactions/<id>` as one the site answered itself, so the next
 * master's control loop has its session at its election, before the charger sends anything. Two whole agents of one
 * site on a real three-member etcd, the ts-ocpp CSMS of the upstream tests.
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { passwordOf } from '../edge/support/edge-fixture';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { isoSecond as iso, offlineUpstream } from '../upstream/support/offline-settings';
import { TsOcppCsms } from '../upstream/support/ts-ocpp-csms';
import { ClusterAgent } from './support/cluster-agent';
import { EtcdCluster } from './support/etcd-cluster';
import { revokeLeaderLease } from './support/leader-key';
import { TAKEOVER_MS } from './support/takeover-site';

describe('a relayed transaction across a takeover', () => {
  let etcd: EtcdCluster;
  let csms: TsOcppCsms | undefined;
  const agents: ClusterAgent[] = [];
  const chargers: RPCClient[] = [];

  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(chargers.splice(0).map((cp) => cp.close({ force: true })));
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
    await csms?.close();
    csms = undefined;
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  async function node(nodeId: string, siteId: string, upstreamOf: TsOcppCsms): Promise<ClusterAgent> {
    const agent = await ClusterAgent.start({
      nodeId,
      siteId,
      endpoints: etcd.endpoints,
      staticOrder: ['gw-a', 'gw-b'],
      chargers: 1,
      upstream: offlineUpstream(upstreamOf),
    });
    agents.push(agent);
    return agent;
  }

  const sessionOn = (agent: ClusterAgent, ref: string) =>
    agent.agent.controller.snapshot().connectors.find((c) => c.ref === ref)?.session;

  it("should give the next master's control loop a transaction the CSMS answered, before the charger sends anything", async () => {
    // Arrange: gw-a serves, gw-b is its standby; CP-1 on gw-a, linked to the CSMS, starts a transaction (the CSMS gives
    // the id)
    const siteId = 'site-upstream-transactions';
    csms = await TsOcppCsms.start();
    const up = csms;
    const a = await node('gw-a', siteId, up);
    await eventually('gw-a serves as master', () => a.serving, TAKEOVER_MS);
    const b = await node('gw-b', siteId, up);
    const cp = rawChargePoint({ endpoint: a.agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    chargers.push(cp);
    await cp.connect();
    await up.until('CP-1 linked through gw-a', () => up.isConnected('CP-1'));
    const start = { connectorId: 1, idTag: 'TAG-1', meterStart: 1_000, timestamp: iso(Date.now()) };
    const { transactionId } = (await cp.call('StartTransaction', start)) as { transactionId: number };
    await eventually("gw-a's control loop has the session", () => sessionOn(a, 'CP-1/1') !== undefined);

    // Act: gw-a loses its lease at etcd, gw-b takes over; CP-1 sends nothing
    await revokeLeaderLease(etcd.endpoints, siteId);
    await eventually('gw-b serves, gw-a does not', () => b.serving && !a.serving, TAKEOVER_MS);

    // Assert: the CSMS's id, and gw-b's control loop has the session on CP-1's connector under it
    expect(transactionId).toBe(up.transactionIdOf('CP-1', start));
    expect(transactionId).toBeGreaterThan(0);
    expect(sessionOn(b, 'CP-1/1')).toMatchObject({ id: String(transactionId), idTag: 'TAG-1' });
    expect(b.storedSessions().map((s) => [s.transactionId, s.connectorId, s.stoppedAt])).toEqual([
      [transactionId, 1, null],
    ]);
  }, 60_000);
});
