/**
 * A running session's energy across a takeover, with two real agents on a real three-member etcd: the energy register
 * a charger reported to the old master is in the ledger (at a bounded rate), and the new master shows the session's
 * energy from it before the charger reaches it.
 */
import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../../../sim/charger/sim-clock';
import { DEFAULT_CHARGER, VirtualCharger } from '../../../sim/charger/virtual-charger';
import { eventually } from '../../support/eventually';
import { passwordOf } from '../edge/support/edge-fixture';
import { ClusterAgent } from './support/cluster-agent';
import { EtcdCluster } from './support/etcd-cluster';
import { revokeLeaderLease } from './support/leader-key';

const TAKEOVER_MS = 15_000;

describe('session energy in the cluster ledger', () => {
  let etcd: EtcdCluster;
  const agents: ClusterAgent[] = [];
  const chargers: VirtualCharger[] = [];

  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
  });
  afterEach(async () => {
    await Promise.all(chargers.splice(0).map((charger) => charger.close()));
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  async function node(nodeId: string, siteId: string): Promise<ClusterAgent> {
    const agent = await ClusterAgent.start({
      nodeId,
      siteId,
      endpoints: etcd.endpoints,
      staticOrder: ['gw-a', 'gw-b'],
      chargers: 1,
    });
    agents.push(agent);
    return agent;
  }

  it("should show a running session's energy on the new master from the register the old one was sent", async () => {
    // Arrange: CP-1 starts at 1,000 Wh on gw-a and reports 1,500 Wh
    const siteId = `site-${randomUUID().slice(0, 8)}`;
    const a = await node('gw-a', siteId);
    await eventually('gw-a serves as master', () => a.serving, TAKEOVER_MS);
    const b = await node('gw-b', siteId);
    const cp = new VirtualCharger(
      { ...DEFAULT_CHARGER, id: 'CP-1', password: passwordOf('CP-1') },
      a.agent.ocppUrl,
      realClock,
    );
    chargers.push(cp);
    await cp.connect();
    const started = (await cp.client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-1',
      meterStart: 1_000,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };
    const meterValue = (wh: number) => ({
      connectorId: 1,
      transactionId: started.transactionId,
      meterValue: [
        {
          timestamp: new Date().toISOString(),
          sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
        },
      ],
    });
    await cp.client.call('MeterValues', meterValue(1_500));
    // Within ENERGY_RECORD_EVERY_MS of the last write: answered without one, so a takeover now forgets these 100 Wh.
    await cp.client.call('MeterValues', meterValue(1_600));
    // A transaction id nobody started: answered, never recorded (no stop would ever delete its record).
    await cp.client.call('MeterValues', { ...meterValue(9_000), transactionId: started.transactionId + 1_000 });
    const client = new Etcd3({ hosts: [...etcd.endpoints] });
    const records = await client.getAll().prefix(`ampshare/${siteId}/ledger/energy/`).json();
    client.close();

    // Act: gw-a loses its lease at etcd, gw-b takes over; CP-1 does not come back
    await revokeLeaderLease(etcd.endpoints, siteId);
    await eventually('gw-b serves as master', () => b.serving, TAKEOVER_MS);

    // Assert: gw-b stores the open session with 500 Wh (energy is saved every second)
    expect(Object.values(records)).toEqual([expect.objectContaining({ registerWh: 1_500 })]);
    await eventually(
      'the session on gw-b with its energy',
      () => b.storedSessions().some((s) => s.transactionId === started.transactionId && s.energyWh === 500),
      5_000,
    );
  });
});
