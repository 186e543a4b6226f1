/**
 * The agent in front of an operator's CSMS (@voltbras/ts-ocpp) while the CSMS is out of reach: it answers as the CSMS,
 * keeps the transaction messages on disk and delivers them in order, with the real transaction id, once it is back.
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_REFUSALS } from '../../../edge/upstream/forward-drain';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { eventually } from '../../support/eventually';
import { isoSecond as iso, offlineUpstream as upstream } from './support/offline-settings';
import { TsOcppCsms } from './support/ts-ocpp-csms';

const mv = (transactionId: number, wh: number) => ({
  connectorId: 1,
  transactionId,
  meterValue: [
    { timestamp: iso(Date.now()), sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register' }] },
  ],
});

describe('edge agent in front of a CSMS, offline', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  let client: RPCClient | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await client?.close({ force: true });
    for (const close of closers.splice(0).reverse()) await close();
    await edge?.close();
    await csms?.close();
    client = edge = csms = undefined;
  });

  async function connectCharger(fixture: EdgeFixture): Promise<RPCClient> {
    const cp = rawChargePoint({ endpoint: fixture.agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    await cp.connect();
    return cp;
  }

  /**
   * Online first (the charger connected and booted behind the agent), then the CSMS goes away. Each part is closed
   * after the test; returned too, for the test to use without checks.
   */
  async function bootedThenCsmsAway(): Promise<{ port: number; fixture: EdgeFixture; charger: RPCClient }> {
    const away = await TsOcppCsms.start();
    csms = away;
    const fixture = await startEdge({ chargers: 1, upstream: upstream(away) });
    edge = fixture;
    const charger = await connectCharger(fixture);
    client = charger;
    await charger.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Proxy' });
    await away.close();
    await fixture.events.until('link down', () => fixture.agent.upstream?.isOpen('CP-1') === false);
    return { port: away.port, fixture, charger };
  }

  /** As `bootedThenCsmsAway`, then a status the CSMS misses; it returns and leaves the boot the agent resends unanswered. */
  async function resyncWaitingForBoot(): Promise<{ back: TsOcppCsms; charger: RPCClient }> {
    const { port, charger } = await bootedThenCsmsAway();
    await charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
    const back = await TsOcppCsms.start(port);
    csms = back;
    back.unanswered.set('BootNotification', 1);
    await back.until('the boot told again', () => back.of('BootNotification').length === 1);
    return { back, charger };
  }

  it('should answer with a provisional id, keep start, meter values and stop, and deliver them in order with the real id', async () => {
    // Arrange: online first, then the CSMS goes away
    const { port, fixture, charger } = await bootedThenCsmsAway();
    edge = fixture;
    client = charger;

    // Act: a whole transaction while the CSMS is away
    await client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
    const start = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-9',
      meterStart: 100,
      timestamp: iso(Date.now()),
    })) as { transactionId: number; idTagInfo: { status: string } };
    await client.call('MeterValues', mv(start.transactionId, 600));
    const stop = await client.call('StopTransaction', {
      transactionId: start.transactionId,
      meterStop: 900,
      timestamp: iso(Date.now()),
      reason: 'Local',
    });
    await client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    csms = await TsOcppCsms.start(port, 5000);
    await eventually('backlog delivered', () => edge?.agent.upstream?.backlog('CP-1').messages === 0);

    // Assert: the charger was answered as by the CSMS, and the control loop saw the provisional transaction
    expect(start).toEqual({ transactionId: -2, idTagInfo: { status: 'Accepted' } });
    expect(stop).toEqual({});
    expect(edge.events.of('sessionStarted')[0]).toMatchObject({ ref: 'CP-1/1', transactionId: -2 });
    // The CSMS got the boot, the fresh status (not the stale Preparing), then the transaction in order, real id only
    expect(csms.received.map((r) => r.action)).toEqual([
      'BootNotification',
      'StatusNotification',
      'StartTransaction',
      'MeterValues',
      'StopTransaction',
    ]);
    expect(csms.of('StatusNotification')).toEqual([{ connectorId: 1, errorCode: 'NoError', status: 'Available' }]);
    expect(csms.of('StartTransaction')[0]).toMatchObject({ idTag: 'TAG-9', meterStart: 100 });
    expect(csms.of('MeterValues')[0]).toMatchObject({ connectorId: 1, transactionId: 5000 });
    expect(csms.of('StopTransaction')[0]).toMatchObject({ transactionId: 5000, meterStop: 900 });
    expect(edge.agent.upstream?.backlog('CP-1')).toEqual({ messages: 0, oldestAt: undefined });
  });

  it('should rewrite the CSMS RemoteStopTransaction for the real id to the provisional id the charger knows', async () => {
    // Arrange: a transaction started offline, delivered once the CSMS is back
    csms = await TsOcppCsms.start();
    const port = csms.port;
    edge = await startEdge({ chargers: 1, upstream: upstream(csms) });
    client = await connectCharger(edge);
    const remoteStops: unknown[] = [];
    client.handle('RemoteStopTransaction', ({ params }) => {
      remoteStops.push(params);
      return Promise.resolve({ status: 'Accepted' });
    });
    await csms.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);
    await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-9',
      meterStart: 0,
      timestamp: iso(Date.now()),
    });
    csms = await TsOcppCsms.start(port, 7000);
    await eventually('start delivered', () => edge?.agent.upstream?.backlog('CP-1').messages === 0);

    // Act
    const answer = await csms.send('CP-1', 'RemoteStopTransaction', { transactionId: 7000 });

    // Assert
    expect(answer).toEqual({ status: 'Accepted' });
    expect(remoteStops).toEqual([{ transactionId: -2 }]);
  });

  it('should send an unanswered StartTransaction again unchanged, and no stop before the start is answered', async () => {
    // Arrange: the CSMS loses the first StartTransaction it gets
    csms = await TsOcppCsms.start();
    csms.unanswered.set('StartTransaction', 1);
    // The charger is answered before the CSMS's call times out, so it gets a provisional id.
    edge = await startEdge({ chargers: 1, upstream: { ...upstream(csms), answerTimeoutMs: 300, callTimeoutMs: 800 } });
    client = await connectCharger(edge);
    await csms.until('link up', () => csms?.isConnected('CP-1') ?? false);

    // Act
    const start = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-9',
      meterStart: 0,
      timestamp: iso(Date.now()),
    })) as { transactionId: number };
    await client.call('StopTransaction', {
      transactionId: start.transactionId,
      meterStop: 10,
      timestamp: iso(Date.now()),
    });
    await csms.until('stop delivered', () => csms?.of('StopTransaction').length === 1);

    // Assert: no answer in time, so a provisional id; the same start twice, then the stop with the real id
    expect(start.transactionId).toBe(-2);
    expect(csms.received.map((r) => r.action)).toEqual(['StartTransaction', 'StartTransaction', 'StopTransaction']);
    expect(csms.of('StartTransaction')[1]).toEqual(csms.of('StartTransaction')[0]);
    expect(csms.of('StopTransaction')[0]).toMatchObject({ transactionId: 1000 });
  });

  it('should lose nothing and reuse no provisional id across an agent restart during the outage', async () => {
    // Arrange: offline, one transaction started, then the agent restarts on the same data
    csms = await TsOcppCsms.start();
    const csmsPort = csms.port;
    edge = await startEdge({ chargers: 1, upstream: upstream(csms) });
    client = await connectCharger(edge);
    await csms.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);
    const first = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-9',
      meterStart: 0,
      timestamp: iso(Date.now()),
    })) as { transactionId: number };
    await client.close({ force: true });
    const { dataDir } = edge;
    const ocppPort = edge.agent.ocppPort;
    await edge.stopAgent();
    const before = edge;
    closers.push(() => before.close(true));

    // Act: the restarted agent takes the stop of the first and a second transaction, then the CSMS returns
    edge = await startEdge({ chargers: 1, upstream: upstream(csms), dataDir, ocppPort });
    client = await connectCharger(edge);
    await client.call('StopTransaction', {
      transactionId: first.transactionId,
      meterStop: 50,
      timestamp: iso(Date.now()),
    });
    const second = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-9',
      meterStart: 50,
      timestamp: iso(Date.now()),
    })) as { transactionId: number };
    await client.call('StopTransaction', {
      transactionId: second.transactionId,
      meterStop: 80,
      timestamp: iso(Date.now()),
    });
    csms = await TsOcppCsms.start(csmsPort, 5000);
    await csms.until('both stops delivered', () => csms?.of('StopTransaction').length === 2);

    // Assert
    expect([first.transactionId, second.transactionId]).toEqual([-2, -3]);
    expect(
      csms.received
        .filter((r) => r.action.endsWith('Transaction'))
        .map((r) => [r.action, r.payload.transactionId ?? r.payload.meterStart]),
    ).toEqual([
      ['StartTransaction', 0],
      ['StopTransaction', 5000],
      ['StartTransaction', 50],
      ['StopTransaction', 5001],
    ]);
  });

  it('should acknowledge a StopTransaction the CSMS refuses, and set it aside after a few tries without holding up the rest', async () => {
    // Arrange: a CSMS that answers every StopTransaction with a CALLERROR (for example for an id it does not know)
    csms = await TsOcppCsms.start();
    csms.refused.add('StopTransaction');
    edge = await startEdge({ chargers: 1, upstream: { ...upstream(csms), answerTimeoutMs: 200 } });
    client = await connectCharger(edge);
    await csms.until('link up', () => csms?.isConnected('CP-1') ?? false);

    // Act
    const stop = await client.call('StopTransaction', {
      transactionId: 4242,
      meterStop: 10,
      timestamp: iso(Date.now()),
    });
    await client.call('MeterValues', mv(4243, 20));
    await csms.until('meter values delivered after the refused stop', () => csms?.of('MeterValues').length === 1);

    // Assert
    expect(stop).toEqual({});
    expect(csms.of('StopTransaction')).toHaveLength(MAX_REFUSALS);
    expect(csms.received.at(-1)?.action).toBe('MeterValues');
  });

  it("should decide tags offline by the CSMS's mirrored local list, then the tags it accepted, then the site's rule", async () => {
    // Arrange: online, the CSMS sends a local list and accepts one tag; then it goes away
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: { ...upstream(csms), unknownTags: 'reject' } });
    client = await connectCharger(edge);
    client.handle('SendLocalList', () => Promise.resolve({ status: 'Accepted' }));
    await csms.until('link up', () => csms?.isConnected('CP-1') ?? false);
    await csms.send('CP-1', 'SendLocalList', {
      listVersion: 7,
      updateType: 'Full',
      localAuthorizationList: [
        { idTag: 'LISTED', idTagInfo: { status: 'Accepted' } },
        { idTag: 'BLOCKED', idTagInfo: { status: 'Blocked' } },
      ],
    });
    await client.call('Authorize', { idTag: 'SEEN-ONLINE' });
    await csms.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);

    // Act
    const status = async (idTag: string) =>
      ((await client?.call('Authorize', { idTag })) as { idTagInfo: { status: string } }).idTagInfo.status;
    const answers = [await status('LISTED'), await status('BLOCKED'), await status('SEEN-ONLINE'), await status('NEW')];

    // Assert
    expect(answers).toEqual(['Accepted', 'Blocked', 'Accepted', 'Invalid']);
  });

  it('should forget the tags the CSMS accepted once the CSMS clears the authorisation cache', async () => {
    // Arrange: online, the CSMS accepts a tag, then clears the cache (a revoked card); then it goes away
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: { ...upstream(csms), unknownTags: 'reject' } });
    client = await connectCharger(edge);
    const cleared: unknown[] = [];
    client.handle('ClearCache', ({ params }) => {
      cleared.push(params);
      return Promise.resolve({ status: 'Accepted' });
    });
    await csms.until('link up', () => csms?.isConnected('CP-1') ?? false);
    await client.call('Authorize', { idTag: 'SEEN-ONLINE' });
    const answer = await csms.send('CP-1', 'ClearCache', {});
    await csms.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);

    // Act
    const offline = (await client.call('Authorize', { idTag: 'SEEN-ONLINE' })) as { idTagInfo: { status: string } };

    // Assert: the call reached the charger and its answer the CSMS; before, the agent still accepted the tag offline
    expect(cleared).toEqual([{}]);
    expect(answer).toEqual({ status: 'Accepted' });
    expect(offline.idTagInfo.status).toBe('Invalid');
  });

  it("should lease a simulator charger's offline transaction under its provisional id", async () => {
    // Arrange
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: upstream(csms) });
    const charger = await edge.charger('CP-1');
    await csms.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);

    // Act
    const transactionId = await edge.startSession(charger);
    await edge.events.until(
      'leased',
      () => edge?.events.of('profileAccepted').some((e) => e.chargerId === 'CP-1') ?? false,
    );

    // Assert
    expect(transactionId).toBe(-2);
    expect(edge.events.of('sessionStarted')[0]).toMatchObject({ ref: 'CP-1/1', transactionId: -2 });
    expect(charger.offeredAmps).toBeGreaterThan(6);
  });

  it('should accept the boot of a charger that rebooted while the CSMS was away, and tell the CSMS on its return', async () => {
    // Arrange
    csms = await TsOcppCsms.start();
    const port = csms.port;
    edge = await startEdge({ chargers: 1, upstream: upstream(csms) });
    client = await connectCharger(edge);
    await client.call('BootNotification', {
      chargePointVendor: 'Acme',
      chargePointModel: 'Proxy',
      firmwareVersion: '1.0',
    });
    await csms.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);

    // Act: the charger reboots with new firmware
    const boot = (await client.call('BootNotification', {
      chargePointVendor: 'Acme',
      chargePointModel: 'Proxy',
      firmwareVersion: '2.0',
    })) as { status: string; interval: number };
    csms = await TsOcppCsms.start(port);
    await csms.until('boot told', () => csms?.of('BootNotification').length === 1);

    // Assert
    expect(boot).toMatchObject({ status: 'Accepted', interval: 60 });
    expect(csms.of('BootNotification')).toEqual([
      { chargePointVendor: 'Acme', chargePointModel: 'Proxy', firmwareVersion: '2.0' },
    ]);
  });

  it('should not let a live StatusNotification overtake the boot and statuses the CSMS is told again on its return', async () => {
    // Arrange: a status the CSMS missed while away; on its return it leaves the agent's resent boot unanswered once
    const { back, charger } = await resyncWaitingForBoot();
    client = charger;

    // Act: the charger reports a new status while the boot waits for its answer
    const live = { connectorId: 1, errorCode: 'NoError', status: 'Charging' };
    const answer = await client.call('StatusNotification', live);
    await back.until('the live status told', () => back.of('StatusNotification').some((s) => s.status === 'Charging'));

    // Assert: the CSMS hears the boot (again, as it went unanswered), then the connector's latest status, once; before,
    // the live status reached it between the two boots
    expect(answer).toEqual({});
    expect(
      back.received.map((r) => `${r.action} ${typeof r.payload.status === 'string' ? r.payload.status : ''}`.trim()),
    ).toEqual(['BootNotification', 'BootNotification', 'StatusNotification Charging']);
  });

  it("should tell a returning CSMS a boot the charger sends during the resync in the stale one's place, and give the charger the CSMS's answer", async () => {
    // Arrange: a status the CSMS missed while away; on its return it leaves the agent's resent boot unanswered once
    const { back, charger } = await resyncWaitingForBoot();
    client = charger;

    // Act: the charger reboots (new firmware) while the resent boot waits for its answer, then reports its connector
    const rebooted = { chargePointVendor: 'Acme', chargePointModel: 'Proxy', firmwareVersion: '2.0' };
    const answer = await client.call('BootNotification', rebooted);
    await client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    await back.until('the status told', () => back.of('StatusNotification').some((s) => s.status === 'Available'));
    await client.call('Heartbeat', {});

    // Assert: the stale boot (unanswered) once, then the new one, answered by the CSMS, then the statuses, the latest
    // last (the one kept from before the reboot may come first); before, the stale boot was resent after the new one
    const told = back.received.map((r) => {
      const detail = r.payload.firmwareVersion ?? r.payload.status;
      return `${r.action} ${typeof detail === 'string' ? detail : ''}`;
    });
    expect(answer).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(told.filter((call) => call.startsWith('Boot'))).toEqual(['BootNotification ', 'BootNotification 2.0']);
    expect(told.slice(0, 2)).toEqual(['BootNotification ', 'BootNotification 2.0']);
    expect(told.slice(-2)).toEqual(['StatusNotification Available', 'Heartbeat ']);
  });
});
