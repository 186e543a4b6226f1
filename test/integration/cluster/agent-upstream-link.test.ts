/**
 * A cluster in front of an operator's CSMS (docs/cluster.md, "In front of an operator's CSMS"). Two whole agents of
 * one site on a real three-member etcd, both configured with the same CSMS (@voltbras/ts-ocpp's CentralSystem, as in
 * the upstream tests). The links follow leadership: the CSMS sees each charger's identity from one node at a time (a
 * standby opens no link, a master closes every link at its fence, delivery-only links included). The forward log goes
 * through the ledger: what the old master queued while the CSMS was away reaches it from the new master, once, in the
 * charger's order, with the CSMS's id, and a standby's stale copy is never sent.
 */
import type { RPCClient } from 'ocpp-rpc';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { isoSecond as iso } from '../upstream/support/offline-settings';
import { TsOcppCsms } from '../upstream/support/ts-ocpp-csms';
import { upstreamCluster } from './support/upstream-cluster';
import { TAKEOVER_MS } from './support/takeover-site';

/** How long the CSMS is watched for connections: many reconnect back-offs (20 to 100 ms) of a second link. */
const WATCH_MS = 3_000;

describe('a cluster node in front of a CSMS', () => {
  const lab = upstreamCluster();
  const { node, connect } = lab;

  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** A whole transaction on `cp` while the CSMS is away: its three messages wait in the node's log. */
  async function transactionOffline(cp: RPCClient): Promise<void> {
    const { transactionId } = (await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-1',
      meterStart: 100,
      timestamp: iso(Date.now()),
    })) as { transactionId: number };
    await cp.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: iso(Date.now()), sampledValue: [{ value: '600' }] }],
    });
    await cp.call('StopTransaction', { transactionId, meterStop: 900, timestamp: iso(Date.now()) });
  }

  it('should connect each charger to the CSMS from the master only, and from the new master only after a takeover', async () => {
    // Arrange: gw-a serves, gw-b is its standby; CP-1 on gw-a, linked to the CSMS
    const siteId = 'site-upstream-link';
    const first = await TsOcppCsms.start();
    lab.csms = first;
    const { a, b } = await lab.masterAndStandby(siteId, first);
    const onA = await connect(a, 'CP-1');
    await first.until('CP-1 linked through gw-a', () => first.isConnected('CP-1'));

    // Act 1: the CSMS watched while both nodes run
    await wait(WATCH_MS);

    // Assert 1: one connection of CP-1, gw-a's; gw-b opened none
    expect(Object.fromEntries(first.connects)).toEqual({ 'CP-1': 1 });
    expect(b.agent.upstream?.isOpen('CP-1')).toBe(false);

    // Act 2: the CSMS goes away, CP-1 runs a transaction on gw-a (its three messages wait in gw-a's log); gw-a loses
    // its lease at etcd, gw-b takes over and CP-1 goes to it; the CSMS comes back
    await first.close();
    await eventually('gw-a lost its link', () => a.agent.upstream?.isOpen('CP-1') === false);
    await transactionOffline(onA);
    expect(a.agent.upstream?.backlog('CP-1').messages).toBe(3);
    await lab.takeover(siteId, a, b);
    await eventually('CP-1 dropped by gw-a', () => !a.agent.centralSystem.isConnected('CP-1'));
    await connect(b, 'CP-1');
    const back = await first.restart();
    lab.csms = back;
    await back.until('CP-1 linked through gw-b', () => back.isConnected('CP-1'));
    await wait(WATCH_MS);

    // Assert 2: one connection of CP-1 again, gw-b's: gw-a's fence closed its link, the one it kept for its backlog too
    expect(Object.fromEntries(back.connects)).toEqual({ 'CP-1': 1 });
    expect(b.agent.upstream?.isOpen('CP-1')).toBe(true);
    expect(a.agent.upstream?.isOpen('CP-1')).toBe(false);
  }, 60_000);

  it('should deliver to the CSMS, from the new master, what the old master queued while the CSMS was away', async () => {
    // Arrange: the CSMS is away; gw-a serves, gw-b is its standby; CP-1 runs a whole transaction on gw-a (a start,
    // three readings and a stop, all answered by gw-a with a provisional id)
    const siteId = 'site-upstream-takeover';
    const away = await TsOcppCsms.start();
    lab.csms = away;
    await away.close();
    const { a, b } = await lab.masterAndStandby(siteId, away);
    const onA = await connect(a, 'CP-1');
    const start = { connectorId: 1, idTag: 'TAG-1', meterStart: 100, timestamp: iso(Date.now()) };
    const { transactionId: provisionalId } = (await onA.call('StartTransaction', start)) as { transactionId: number };
    const readings = [200, 300, 400].map((wh) => ({
      connectorId: 1,
      transactionId: provisionalId,
      meterValue: [{ timestamp: iso(Date.now()), sampledValue: [{ value: String(wh) }] }],
    }));
    for (const reading of readings) await onA.call('MeterValues', reading);
    const stop = { transactionId: provisionalId, meterStop: 500, timestamp: iso(Date.now()) };
    await onA.call('StopTransaction', stop);

    // Act: gw-a loses its lease at etcd; gw-b takes over and CP-1 goes to it, where it starts another transaction
    // while the CSMS is still away; then the CSMS comes back
    await lab.takeover(siteId, a, b);
    await eventually('CP-1 dropped by gw-a', () => !a.agent.centralSystem.isConnected('CP-1'));
    const onB = await connect(b, 'CP-1');
    const second = { connectorId: 1, idTag: 'TAG-1', meterStart: 500, timestamp: iso(Date.now() + 1_000) };
    const { transactionId: secondId } = (await onB.call('StartTransaction', second)) as { transactionId: number };
    const back = await away.restart();
    lab.csms = back;
    await back.until('the second start reached the CSMS', () => back.of('StartTransaction', 'CP-1').length >= 2);
    await eventually('gw-b delivered everything', () => b.agent.upstream?.backlog('CP-1').messages === 0);
    await wait(WATCH_MS);

    // Assert: the CSMS got gw-a's five messages once each, in the charger's order, then gw-b's start; the reading and
    // the stop with the CSMS's id, never a provisional one; gw-b gave the second start an id gw-a had not given
    const firstId = back.transactionIdOf('CP-1', start);
    const transactionCalls = back.received
      .filter((call) => call.chargePointId === 'CP-1' && call.action !== 'StatusNotification')
      .filter((call) => call.action !== 'BootNotification');
    expect(transactionCalls.map((call) => [call.action, call.payload])).toEqual([
      ['StartTransaction', start],
      ...readings.map((reading) => ['MeterValues', { ...reading, transactionId: firstId }]),
      ['StopTransaction', { ...stop, transactionId: firstId }],
      ['StartTransaction', second],
    ]);
    expect(firstId).toBeGreaterThan(0);
    expect(provisionalId).toBeLessThan(0);
    expect(secondId).toBeLessThan(provisionalId);
    expect(Object.fromEntries(back.connects)).toEqual({ 'CP-1': 1 });
  }, 60_000);

  it('should deliver the backlog of a stopped master from the next master only, and not again when the old one leads again', async () => {
    // Arrange: gw-a, alone, serves CP-1 while the CSMS is away and stops with the transaction's three messages queued;
    // gw-b becomes the master; gw-a starts again on its data, as gw-b's standby
    const siteId = 'site-upstream-standby';
    const away = await TsOcppCsms.start();
    lab.csms = away;
    const first = await node('gw-a', siteId, away);
    await eventually('gw-a serves as master', () => first.serving, TAKEOVER_MS);
    await away.close();
    const cp = await connect(first, 'CP-1');
    await transactionOffline(cp);
    await cp.close({ force: true });
    await first.stop(true);
    lab.forget(first);
    const b = await node('gw-b', siteId, away);
    await eventually('gw-b serves as master', () => b.serving, TAKEOVER_MS);
    const a = await node('gw-a', siteId, away, first.dataDir);
    expect(a.agent.upstream?.backlog('CP-1').messages).toBe(3);

    // Act: the CSMS comes back and is watched; then gw-b stops and gw-a, with its stale copy, leads again
    const back = await away.restart();
    lab.csms = back;
    await back.until('the stop reached the CSMS', () => back.of('StopTransaction', 'CP-1').length > 0);
    await wait(WATCH_MS);
    const whileStandby = { serving: a.serving, connects: Object.fromEntries(back.connects) };
    await b.stop();
    await eventually('gw-a serves again', () => a.serving, TAKEOVER_MS);
    await wait(WATCH_MS);

    // Assert: one connection of CP-1, gw-b's delivering gw-a's messages (the standby opened none); gw-a, leading
    // again, took the ledger's log (empty) in place of its stale copy and sent nothing again
    expect(whileStandby).toEqual({ serving: false, connects: { 'CP-1': 1 } });
    expect(back.received.filter((call) => call.chargePointId === 'CP-1').map((call) => call.action)).toEqual([
      'StartTransaction',
      'MeterValues',
      'StopTransaction',
    ]);
    expect(a.agent.upstream?.backlog('CP-1').messages).toBe(0);
  }, 60_000);
});
