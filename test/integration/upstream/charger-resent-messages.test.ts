/**
 * A charger that rebooted before it noted our answer sends its queued transaction messages again, unchanged (OCPP 1.6:
 * chargers queue StartTransaction, MeterValues and StopTransaction until answered). The CSMS must get each once, and
 * never a provisional id: a second StopTransaction would name an id whose mapping the first one's delivery dropped.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../edge/store/store-database';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { eventually } from '../../support/eventually';
import { TsOcppCsms } from './support/ts-ocpp-csms';

const START = { connectorId: 1, idTag: 'TAG-9', meterStart: 100, timestamp: '2026-12-03T01:00:00.000Z' };

describe('edge agent in front of a CSMS, a charger sending its queue again', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  let client: RPCClient | undefined;
  afterEach(async () => {
    await client?.close({ force: true });
    await edge?.close();
    await csms?.close();
    client = edge = csms = undefined;
  });

  /** The agent in front of `front` (on the data and port of `restart`: the agent restarted). */
  const agentBehind = (front: TsOcppCsms, restart?: { dataDir: string; ocppPort: number }) =>
    startEdge({
      chargers: 1,
      upstream: { csmsUrl: front.url, unknownTags: 'accept', reconnect: { initialDelayMs: 20, maxDelayMs: 100 } },
      ...restart,
    });

  /** CP-1 connected to the agent again (its old connection, if any, cut as a reboot would). */
  async function reconnected(old: RPCClient | undefined, fixture: EdgeFixture): Promise<RPCClient> {
    await old?.close({ force: true });
    const cp = rawChargePoint({ endpoint: fixture.agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    await cp.connect();
    return cp;
  }

  /**
   * A CSMS that gives ids from 5000, the agent in front of it, and CP-1 connected with its link to the CSMS up. Each
   * part is kept for afterEach as soon as it is open, so a failed start closes what it opened.
   */
  async function linkedCharger(): Promise<{ csms: TsOcppCsms; edge: EdgeFixture; client: RPCClient }> {
    const front = (csms = await TsOcppCsms.start(undefined, 5000));
    const fixture = (edge = await agentBehind(front));
    const cp = (client = await reconnected(undefined, fixture));
    await front.until('link up', () => front.isConnected('CP-1'));
    return { csms: front, edge: fixture, client: cp };
  }

  it('should not send the CSMS again a MeterValues and StopTransaction it acknowledged, when the charger sends them again after an agent restart', async () => {
    // Arrange: a transaction delivered online, with the CSMS's id
    ({ csms, edge, client } = await linkedCharger());
    const start = (await client.call('StartTransaction', START)) as { transactionId: number };
    const reading = (minute: number) => ({
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: `2026-12-03T01:${minute}:00.000Z`, sampledValue: [{ value: String(minute) }] }],
    });
    const stop = { transactionId: start.transactionId, meterStop: 900, timestamp: '2026-12-03T01:20:00.000Z' };
    await client.call('MeterValues', reading(10));
    await client.call('StopTransaction', stop);

    // Act: the agent restarts on the same database; the charger, which did not note the answers, sends both again
    await client.close({ force: true });
    const { dataDir } = edge;
    const ocppPort = edge.agent.ocppPort;
    await edge.stopAgent();
    await edge.close(true);
    edge = await agentBehind(csms, { dataDir, ocppPort });
    client = await reconnected(undefined, edge);
    await csms.until('link up again', () => csms?.isConnected('CP-1') ?? false);
    const answers = [await client.call('MeterValues', reading(10)), await client.call('StopTransaction', stop)];
    await client.call('MeterValues', reading(30));
    await csms.until('the new reading delivered', () => csms?.of('MeterValues').length === 2);

    // Assert: the charger is answered as the CSMS answered; the CSMS has each message once (before: twice)
    expect(start.transactionId).toBe(5000);
    expect(answers).toEqual([{}, {}]);
    expect(csms.of('MeterValues')).toEqual([reading(10), reading(30)]);
    expect(csms.of('StopTransaction')).toEqual([stop]);
  });

  it('should answer a StartTransaction sent again after its stop was acknowledged with the same id, and not send it to the CSMS again, after an agent restart too', async () => {
    // Arrange: one transaction delivered online (the CSMS's id), one queued while the CSMS was away (a provisional id)
    // and delivered on its return; both stops acknowledged by the CSMS
    ({ csms, edge, client } = await linkedCharger());
    const online = (await client.call('StartTransaction', START)) as { transactionId: number };
    const onlineStop = { transactionId: online.transactionId, meterStop: 900, timestamp: '2026-12-03T01:20:00.000Z' };
    await client.call('StopTransaction', onlineStop);
    await csms.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);
    const offlineStart = { ...START, meterStart: 900, timestamp: '2026-12-03T02:00:00.000Z' };
    const offline = (await client.call('StartTransaction', offlineStart)) as { transactionId: number };
    const offlineStop = {
      transactionId: offline.transactionId,
      meterStop: 1500,
      timestamp: '2026-12-03T02:30:00.000Z',
    };
    await client.call('StopTransaction', offlineStop);
    csms = await csms.restart();
    await csms.until('offline stop delivered', () => csms?.of('StopTransaction').length === 2);

    // Act: the charger sends both starts again (it did not note the answers), before and after an agent restart on the
    // same database, then a reading that goes up behind anything queued before it
    const againBefore = await client.call('StartTransaction', offlineStart);
    await client.close({ force: true });
    const { dataDir } = edge;
    const ocppPort = edge.agent.ocppPort;
    await edge.stopAgent();
    await edge.close(true);
    edge = await agentBehind(csms, { dataDir, ocppPort });
    client = await reconnected(undefined, edge);
    await csms.until('link up again', () => csms?.isConnected('CP-1') ?? false);
    const againAfter = [
      await client.call('StartTransaction', START),
      await client.call('StartTransaction', offlineStart),
      await client.call('StopTransaction', offlineStop),
    ];
    const reading = {
      connectorId: 1,
      meterValue: [{ timestamp: '2026-12-03T03:00:00.000Z', sampledValue: [{ value: '1' }] }],
    };
    await client.call('MeterValues', reading);
    await csms.until('the reading delivered', () => csms?.of('MeterValues').length === 1);

    // Assert: each start answered with the id the charger was given first; the CSMS got each start once (before: the
    // repeats got new provisional ids and reached the CSMS again)
    expect(online.transactionId).toBe(5000);
    expect(offline.transactionId).toBeLessThan(0);
    expect(againBefore).toMatchObject({ transactionId: offline.transactionId });
    expect(againAfter).toMatchObject([{ transactionId: 5000 }, { transactionId: offline.transactionId }, {}]);
    expect(csms.of('StartTransaction')).toEqual([START, offlineStart]);
    expect(csms.of('StopTransaction')).toEqual([onlineStop, { ...offlineStop, transactionId: 5001 }]);
  });

  it('should not open a session in the control loop again for a StartTransaction sent again after its stop was acknowledged', async () => {
    // Arrange: a transaction delivered online and stopped, the stop acknowledged by the CSMS
    ({ csms, edge, client } = await linkedCharger());
    const start = (await client.call('StartTransaction', START)) as { transactionId: number };
    const stop = { transactionId: start.transactionId, meterStop: 900, timestamp: '2026-12-03T01:20:00.000Z' };
    await client.call('StopTransaction', stop);
    const agent = edge.events;
    await agent.until('stop seen', () => agent.of('sessionEnded').length === 1);

    // Act: the charger sends the start again (it did not note the answer), and a status after it
    const again = await client.call('StartTransaction', START);
    await client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Finishing' });
    await client.call('Heartbeat', {});

    // Assert: answered with the same id, and the control loop was not told a start again (before: the session opened
    // again under that id, counted in the allocation, until the charger's repeated stop closed it)
    expect(again).toMatchObject({ transactionId: 5000 });
    expect(agent.of('sessionStarted').map((e) => e.transactionId)).toEqual([5000]);
    expect(edge.agent.controller.snapshot().connectors.find((c) => c.ref === 'CP-1/1')?.session).toBeUndefined();
  });

  it('should deliver a resent MeterValues and StopTransaction once, with the real id', async () => {
    // Arrange: a transaction while the CSMS is away
    csms = await TsOcppCsms.start();
    const port = csms.port;
    edge = await agentBehind(csms);
    client = await reconnected(undefined, edge);
    await csms.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);
    const start = (await client.call('StartTransaction', START)) as { transactionId: number };
    const meterValues = {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: '2026-12-03T01:10:00.000Z', sampledValue: [{ value: '600' }] }],
    };
    const stop = {
      transactionId: start.transactionId,
      meterStop: 900,
      timestamp: '2026-12-03T01:20:00.000Z',
      reason: 'Local',
    };
    await client.call('MeterValues', meterValues);
    await client.call('StopTransaction', stop);

    // Act: the charger reboots and sends what it had not noted as answered again
    client = await reconnected(client, edge);
    await client.call('MeterValues', meterValues);
    await client.call('StopTransaction', stop);
    csms = await TsOcppCsms.start(port, 5000);
    await eventually('backlog delivered', () => edge?.agent.upstream?.backlog('CP-1').messages === 0);

    // Assert
    expect(
      csms.received.filter((r) => r.action.endsWith('Transaction') || r.action === 'MeterValues').map((r) => r.payload),
    ).toEqual([START, { ...meterValues, transactionId: 5000 }, { ...stop, transactionId: 5000 }]);
  });

  it('should answer a StopTransaction sent again after the CSMS acknowledged it, and never send a provisional id', async () => {
    // Arrange: a transaction while the CSMS is away, delivered once it is back
    csms = await TsOcppCsms.start();
    const port = csms.port;
    edge = await agentBehind(csms);
    client = await reconnected(undefined, edge);
    await csms.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);
    const start = (await client.call('StartTransaction', START)) as { transactionId: number };
    const stop = { transactionId: start.transactionId, meterStop: 900, timestamp: '2026-12-03T01:20:00.000Z' };
    await client.call('StopTransaction', stop);
    csms = await TsOcppCsms.start(port, 5000);
    await csms.until('stop delivered', () => csms?.of('StopTransaction').length === 1);

    // Act: the charger reboots without having noted the stop's answer and sends it again, then a reading of the
    // transaction it had kept (not delivered before, so not recognised as a repeat)
    client = await reconnected(client, edge);
    const again = await client.call('StopTransaction', stop);
    const late = {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: '2026-12-03T01:19:00.000Z', sampledValue: [{ value: '880' }] }],
    };
    await client.call('MeterValues', late);
    await eventually('set aside', () => edge?.agent.upstream?.backlog('CP-1').messages === 0);

    // Assert: the stop acknowledged as the CSMS did and not logged again; the reading kept on disk; the CSMS never got
    // the provisional id
    expect(again).toEqual({});
    expect(csms.of('StopTransaction')).toEqual([{ ...stop, transactionId: 5000 }]);
    expect(csms.of('MeterValues')).toEqual([]);
    const db = new Database(path.join(edge.dataDir, DATABASE_FILE), { readonly: true });
    try {
      expect(db.prepare('SELECT action, state FROM upstream_log').all()).toEqual([
        { action: 'MeterValues', state: 'unmapped' },
      ]);
    } finally {
      db.close();
    }
  });
});
