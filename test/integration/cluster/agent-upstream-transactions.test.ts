/**
 * A cluster in front of an operator's CSMS (docs/cluster.md, "In front of an operator's CSMS"): a transaction the CSMS
 * answered through the relay goes to the ledger under `transactions/<id>` as one the site answered itself, so the next
 * master's control loop has its session at its election, before the charger sends anything. Two whole agents of one
 * site on a real three-member etcd, the ts-ocpp CSMS of the upstream tests.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { isoSecond as iso } from '../upstream/support/offline-settings';
import { TsOcppCsms } from '../upstream/support/ts-ocpp-csms';
import type { ClusterAgent } from './support/cluster-agent';
import { upstreamCluster } from './support/upstream-cluster';

describe('a relayed transaction across a takeover', () => {
  const lab = upstreamCluster();

  const sessionOn = (agent: ClusterAgent, ref: string) =>
    agent.agent.controller.snapshot().connectors.find((c) => c.ref === ref)?.session;

  it("should give the next master's control loop a transaction the CSMS answered, before the charger sends anything", async () => {
    // Arrange: gw-a serves, gw-b is its standby; CP-1 on gw-a, linked to the CSMS, starts a transaction (the CSMS gives
    // the id)
    const siteId = 'site-upstream-transactions';
    const up = await TsOcppCsms.start();
    lab.csms = up;
    const { a, b } = await lab.masterAndStandby(siteId, up);
    const cp = await lab.connect(a, 'CP-1');
    await up.until('CP-1 linked through gw-a', () => up.isConnected('CP-1'));
    const start = { connectorId: 1, idTag: 'TAG-1', meterStart: 1_000, timestamp: iso(Date.now()) };
    const { transactionId } = (await cp.call('StartTransaction', start)) as { transactionId: number };
    await eventually("gw-a's control loop has the session", () => sessionOn(a, 'CP-1/1') !== undefined);

    // Act: gw-a loses its lease at etcd, gw-b takes over; CP-1 sends nothing
    await lab.takeover(siteId, a, b);

    // Assert: the CSMS's id, and gw-b's control loop has the session on CP-1's connector under it
    expect(transactionId).toBe(up.transactionIdOf('CP-1', start));
    expect(transactionId).toBeGreaterThan(0);
    expect(sessionOn(b, 'CP-1/1')).toMatchObject({ id: String(transactionId), idTag: 'TAG-1' });
    expect(b.storedSessions().map((s) => [s.transactionId, s.connectorId, s.stoppedAt])).toEqual([
      [transactionId, 1, null],
    ]);
  }, 60_000);
});
