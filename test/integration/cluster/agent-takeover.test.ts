/**
 * Two real edge agents as the nodes of one site's cluster, on a real three-member etcd, with the simulator's charger:
 * the standby refuses chargers; a takeover hands the old master's open transaction to the new one, which re-attaches
 * the charger, stores its stop with the energy the charger metered and hands out higher ids; a master whose
 * ledger write etcd refuses stops serving at once and does not answer the charger as master; a StartTransaction sent
 * again (its answer lost with the old master) gets the id it was given, not a second transaction.
 */
import { Etcd3 } from 'etcd3';
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAR } from '../../../sim/charger/virtual-car';
import { eventually } from '../../support/eventually';
import { ChargerWire } from './support/charger-wire';
import { TAKEOVER_MS, takeoverSite } from './support/takeover-site';
import { leaderKey } from './support/leader-key';

describe('edge agents as a cluster', () => {
  const site = takeoverSite();

  it("should refuse chargers on the standby, and let the next master adopt the old one's transaction and count its energy", async () => {
    // Arrange
    const { a, b } = await site.masterAndStandby();
    await expect(site.charger('CP-1', b.agent.ocppUrl).connect()).rejects.toThrow();
    const cp = site.charger('CP-1', a.agent.ocppUrl);
    const wire = new ChargerWire(cp);
    await cp.connect();
    await cp.plugIn(DEFAULT_CAR);
    const first = await cp.authorizeAndStart('TAG-1');
    await a.events.until('a lease from gw-a', () => a.events.of('profileAccepted').length > 0);
    await cp.sendMeterValues();

    // Act: gw-a stops leading; gw-b takes over and the charger goes to it
    const closed = new Promise<{ code: number }>((resolve) => cp.client.once('close', resolve));
    await a.agent.cluster?.stop();
    const closedBy = await closed;
    await eventually('gw-b serves as master', () => b.serving, TAKEOVER_MS);
    cp.client.reconfigure({ endpoint: b.agent.ocppUrl } as Partial<RPC_ClientOptions> as RPC_ClientOptions);
    const fromB = wire.received.length;
    await cp.connect();
    await cp.sendMeterValues();
    await cp.stop();
    const second = await cp.authorizeAndStart('TAG-2');

    // Assert
    expect(closedBy.code).toBe(1012);
    await expect(site.charger('CP-1', a.agent.ocppUrl).connect()).rejects.toThrow();
    await b.events.until('the adopted transaction ended on gw-b', () =>
      b.events.of('sessionEnded').some((e) => e.transactionId === first),
    );
    const ended = b.events.of('sessionEnded').find((e) => e.transactionId === first);
    const start = wire.answered('StartTransaction')[0]?.params;
    const stop = wire.answered('StopTransaction')[0]?.params;
    expect(ended?.energyWh).toBe(Number(stop?.meterStop) - Number(start?.meterStart));
    expect(second).toBeDefined();
    expect(second).toBeGreaterThan(first ?? Number.POSITIVE_INFINITY);
    expect(b.events.of('sessionStarted').map((e) => e.transactionId)).toEqual([first, second]);
    // gw-b re-attached the charger: asked for its boot and status, and (at the boot it sent) installed the fail-safe
    const reattach = wire.received.slice(fromB);
    const triggered = reattach.filter((c) => c.method === 'TriggerMessage').map((c) => c.params.requestedMessage);
    expect(triggered.filter((message) => message !== 'MeterValues')).toEqual([
      'BootNotification',
      'StatusNotification',
    ]);
    expect(
      reattach.some(
        (c) =>
          c.method === 'SetChargingProfile' &&
          (c.params.csChargingProfiles as { chargingProfilePurpose?: string }).chargingProfilePurpose ===
            'TxDefaultProfile',
      ),
    ).toBe(true);
  });

  it('should copy into the next master a transaction started and stopped wholly on the old one', async () => {
    // Arrange: gw-a takes a whole transaction; gw-b, its standby, never hears of it but through the ledger
    const { a, b } = await site.masterAndStandby();
    const cp = site.charger('CP-1', a.agent.ocppUrl);
    const wire = new ChargerWire(cp);
    await cp.connect();
    await cp.plugIn(DEFAULT_CAR);
    const closed = await cp.authorizeAndStart('TAG-1');
    await cp.sendMeterValues();
    await cp.stop();

    // Act: gw-a stops leading, gw-b takes over
    await a.agent.cluster?.stop();
    await eventually('gw-b serves as master', () => b.serving, TAKEOVER_MS);

    // Assert: gw-b's store lists it closed, with the charger's meter readings, as gw-a's does
    const start = wire.answered('StartTransaction')[0]?.params;
    const stop = wire.answered('StopTransaction')[0]?.params;
    const stored = b.storedSessions();
    expect(stored.map((s) => [s.transactionId, s.stoppedAt !== null, s.energyWh])).toEqual([
      [closed, true, Number(stop?.meterStop) - Number(start?.meterStart)],
    ]);
    expect(stored).toEqual(a.storedSessions());
    expect(b.events.of('sessionStarted')).toEqual([]);
  });

  it('should stop serving when etcd refuses its ledger write, and leave the charger unanswered by it', async () => {
    // Arrange
    const { siteId, a } = await site.masterAndStandby();
    const cp = site.charger('CP-1', a.agent.ocppUrl);
    const wire = new ChargerWire(cp);
    await cp.connect();
    await cp.plugIn(DEFAULT_CAR);
    // A first transaction: gw-a holds a block of ids, so the next start writes to etcd only through the ledger.
    const first = await cp.authorizeAndStart('TAG-1');
    await cp.stop();
    const closed = new Promise<{ code: number }>((resolve) => cp.client.once('close', resolve));
    // gw-a's candidate key goes (as when etcd expires its lease): gw-b leads at etcd while gw-a's deadline still holds.
    const client = new Etcd3({ hosts: [...site.etcd().endpoints] });
    await client
      .delete()
      .key((await leaderKey(client, siteId)) ?? 'missing')
      .exec();

    // Act
    const started = cp.authorizeAndStart('TAG-2');

    // Assert
    await expect(started).rejects.toThrow();
    expect((await closed).code).toBe(1012);
    expect(wire.answered('StartTransaction').map((call) => call.params.idTag)).toEqual(['TAG-1']);
    const recorded = await client.getAll().prefix(`ampshare/${siteId}/ledger/transactions/`).keys();
    client.close();
    expect(recorded.sort()).toEqual([
      `ampshare/${siteId}/ledger/transactions/${first}/start`,
      `ampshare/${siteId}/ledger/transactions/${first}/stop`,
    ]);
  });

  it('should answer a StartTransaction sent again to the next master with the id the old master gave it', async () => {
    // Arrange: gw-a takes the start (and writes it to the ledger), but its answer never reaches the charger
    const { a, b } = await site.masterAndStandby();
    const cp = site.charger('CP-1', a.agent.ocppUrl);
    await cp.connect();
    const start = { connectorId: 1, idTag: 'TAG-1', meterStart: 1234, timestamp: new Date().toISOString() };
    const lost = (await cp.client.call('StartTransaction', start)) as { transactionId: number };
    const again = (await cp.client.call('StartTransaction', start)) as { transactionId: number };
    await a.agent.cluster?.stop();
    await eventually('gw-b serves as master', () => b.serving, TAKEOVER_MS);

    // Act: the charger sends the start again, to the next master
    cp.client.reconfigure({ endpoint: b.agent.ocppUrl } as Partial<RPC_ClientOptions> as RPC_ClientOptions);
    await cp.connect();
    const answer = (await cp.client.call('StartTransaction', start)) as { transactionId: number };
    const other = (await cp.client.call('StartTransaction', { ...start, meterStart: 1300 })) as {
      transactionId: number;
    };

    // Assert: the same id from both masters; a start that differs is a new transaction
    expect(again.transactionId).toBe(lost.transactionId);
    expect(answer.transactionId).toBe(lost.transactionId);
    expect(other.transactionId).toBeGreaterThan(lost.transactionId);
    expect(b.events.of('sessionStarted').map((e) => e.transactionId)).toEqual([
      lost.transactionId,
      other.transactionId,
    ]);
  });
});
