/**
 * A charger's queued transaction messages reach the CSMS when it comes back even though the charger has left: it
 * disconnected, or the agent restarted without it, or it was removed from the site (docs/csms.md, "Delivery after the
 * charger left"). The agent opens the charger's link to the CSMS for the delivery only, and closes it once the log is
 * delivered.
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { eventually } from '../../support/eventually';
import { isoSecond as iso, offlineUpstream as upstream } from './support/offline-settings';
import { TsOcppCsms } from './support/ts-ocpp-csms';

describe('edge agent in front of a CSMS: delivery after the charger left', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await edge?.close();
    await csms?.close();
    edge = csms = undefined;
  });

  async function connect(fixture: EdgeFixture, identity: string): Promise<RPCClient> {
    const cp = rawChargePoint({ endpoint: fixture.agent.ocppUrl, identity, password: passwordOf(identity) });
    await cp.connect();
    closers.push(() => cp.close({ force: true }));
    return cp;
  }

  /** A whole transaction while the CSMS is away: start, a reading, stop; the three messages wait in the log. */
  async function transactionOffline(charger: RPCClient): Promise<void> {
    const { transactionId } = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-9',
      meterStart: 100,
      timestamp: iso(Date.now()),
    })) as { transactionId: number };
    await charger.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: iso(Date.now()), sampledValue: [{ value: '600' }] }],
    });
    await charger.call('StopTransaction', { transactionId, meterStop: 900, timestamp: iso(Date.now()) });
  }

  /** What the CSMS stored of a charger's transaction messages, in order, with the transaction id each named. */
  const transactionCalls = (back: TsOcppCsms, identity: string) =>
    back.received
      .filter(
        (r) => r.chargePointId === identity && r.action !== 'BootNotification' && r.action !== 'StatusNotification',
      )
      .map((r) => `${r.action} ${String(r.payload.transactionId ?? r.payload.meterStart)}`);

  it('should deliver the queued messages of a charger that disconnected, then close its link', async () => {
    // Arrange: the CSMS goes away, the charger runs a transaction and leaves
    const away = await TsOcppCsms.start();
    csms = away;
    edge = await startEdge({ chargers: 1, upstream: upstream(away) });
    const charger = await connect(edge, 'CP-1');
    await away.until('link up', () => away.isConnected('CP-1'));
    await away.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);
    await transactionOffline(charger);
    await charger.close({ force: true });
    await eventually('charger gone', () => edge?.agent.centralSystem.isConnected('CP-1') === false);

    // Act: the CSMS comes back
    const back = await TsOcppCsms.start(away.port, 5000);
    csms = back;
    await back.until('stop delivered', () => back.of('StopTransaction').length === 1);
    await back.until('link closed once delivered', () => !back.isConnected('CP-1'));

    // Assert: every message once, in order, with the real id; the log is empty; the charger was never there
    expect(transactionCalls(back, 'CP-1')).toEqual([
      'StartTransaction 100',
      'MeterValues 5000',
      'StopTransaction 5000',
    ]);
    expect(edge.agent.upstream?.backlog('CP-1').messages).toBe(0);
    expect(back.of('BootNotification')).toEqual([]);
  });

  it('should let a charger that comes back take its link over: the CSMS is told its boot and status, then the backlog', async () => {
    // Arrange: the CSMS goes away; the charger boots, runs a transaction and leaves, then connects again
    const away = await TsOcppCsms.start();
    csms = away;
    edge = await startEdge({ chargers: 1, upstream: upstream(away) });
    const first = await connect(edge, 'CP-1');
    await away.until('link up', () => away.isConnected('CP-1'));
    await away.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-1') === false);
    await first.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Proxy' });
    await transactionOffline(first);
    await first.close({ force: true });
    await eventually('charger gone', () => edge?.agent.centralSystem.isConnected('CP-1') === false);
    const again = await connect(edge, 'CP-1');
    await again.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });

    // Act: the CSMS comes back
    const back = await TsOcppCsms.start(away.port, 5000);
    csms = back;
    await back.until('stop delivered', () => back.of('StopTransaction').length === 1);

    // Assert: the resync goes first again, as for a charger that stayed; the link stays open for the charger
    expect(back.received.map((r) => r.action)).toEqual([
      'BootNotification',
      'StatusNotification',
      'StartTransaction',
      'MeterValues',
      'StopTransaction',
    ]);
    expect(back.isConnected('CP-1')).toBe(true);
  });

  it('should deliver after an agent restart the queued messages of a charger removed from the site meanwhile', async () => {
    // Arrange: two chargers; CP-2 runs a transaction while the CSMS is away, then the agent stops
    csms = await TsOcppCsms.start();
    const csmsPort = csms.port;
    edge = await startEdge({ chargers: 2, upstream: upstream(csms) });
    const cp2 = await connect(edge, 'CP-2');
    await csms.close();
    await edge.events.until('link down', () => edge?.agent.upstream?.isOpen('CP-2') === false);
    await transactionOffline(cp2);
    await cp2.close({ force: true });
    const { dataDir } = edge;
    await edge.stopAgent();
    const before = edge;
    closers.push(() => before.close(true));

    // Act: the agent starts again on the same data without CP-2 in its site, and no charger connects; the CSMS returns
    edge = await startEdge({ chargers: 1, upstream: upstream(csms), dataDir });
    const back = await TsOcppCsms.start(csmsPort, 5000);
    csms = back;
    await back.until('stop delivered', () => back.of('StopTransaction').length === 1);
    await back.until('link closed once delivered', () => !back.isConnected('CP-2'));

    // Assert
    expect(transactionCalls(back, 'CP-2')).toEqual([
      'StartTransaction 100',
      'MeterValues 5000',
      'StopTransaction 5000',
    ]);
    expect(edge.agent.upstream?.backlog('CP-2').messages).toBe(0);
  });
});
