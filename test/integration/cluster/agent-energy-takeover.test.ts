/**
 * A running session's energy across a takeover, with two real agents on a real three-member etcd: the energy register
 * a charger reported to the old master is in the ledger (at a bounded rate), and the new master shows the session's
 * energy from it before the charger reaches it.
 */
import { Etcd3 } from 'etcd3';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { TAKEOVER_MS, takeoverSite } from './support/takeover-site';
import { revokeLeaderLease } from './support/leader-key';

describe('session energy in the cluster ledger', () => {
  const site = takeoverSite();

  it("should show a running session's energy on the new master from the register the old one was sent", async () => {
    // Arrange: CP-1 starts at 1,000 Wh on gw-a and reports 1,500 Wh
    const { siteId, a, b } = await site.masterAndStandby();
    const cp = site.charger('CP-1', a.agent.ocppUrl);
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
    const client = new Etcd3({ hosts: [...site.etcd().endpoints] });
    const records = await client.getAll().prefix(`ampshare/${siteId}/ledger/energy/`).json();
    client.close();

    // Act: gw-a loses its lease at etcd, gw-b takes over; CP-1 does not come back
    await revokeLeaderLease(site.etcd().endpoints, siteId);
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
