/**
 * A single agent in front of an operator's CSMS that becomes a cluster node (docs/cluster.md, "In front of an
 * operator's CSMS"): the messages it queued alone, while the CSMS was away, are in its SQLite only. At its first
 * election the ledger holds none of the site's upstream records, so the node copies its own log into the ledger
 * (entries, mappings, delivered records, counter) in place of taking the ledger's empty one, and the CSMS gets every
 * queued message once when it comes back. A real etcd (EtcdCluster), the ts-ocpp CSMS of the upstream tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RPCClient } from 'ocpp-rpc';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEdgeConfig } from '../../../edge/config/load-config';
import { startAgent } from '../../../edge/main';
import { eventually } from '../../support/eventually';
import { edgeConfig, passwordOf } from '../edge/support/edge-fixture';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { isoSecond as iso, offlineUpstream } from '../upstream/support/offline-settings';
import { TsOcppCsms } from '../upstream/support/ts-ocpp-csms';
import { ClusterAgent } from './support/cluster-agent';
import { EtcdCluster } from './support/etcd-cluster';
import { TAKEOVER_MS } from './support/takeover-site';

const SITE_ID = 'site-upstream-first-election';

describe('a single agent with messages queued for the CSMS that becomes a cluster node', () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should deliver every message it queued alone once, from its first election', async () => {
    // Arrange: the agent alone, the CSMS away; CP-1 runs a whole transaction (a start answered with a provisional id,
    // a reading, a stop) and a second start; four messages wait in its SQLite; the agent stops
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-first-election-'));
    cleanups.push(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })));
    const away = await TsOcppCsms.start();
    let csms = away;
    cleanups.push(() => csms.close());
    await away.close();
    const base = edgeConfig({ chargers: 1, upstream: offlineUpstream(away) }, dataDir);
    const single = await startAgent(parseEdgeConfig({ ...base, site: { ...base.site, id: SITE_ID } }, dataDir), {
      logger: pino({ level: 'silent' }),
    });
    const cp: RPCClient = rawChargePoint({ endpoint: single.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    await cp.connect();
    const start = { connectorId: 1, idTag: 'TAG-1', meterStart: 100, timestamp: iso(Date.now()) };
    const { transactionId: provisionalId } = (await cp.call('StartTransaction', start)) as { transactionId: number };
    const reading = {
      connectorId: 1,
      transactionId: provisionalId,
      meterValue: [{ timestamp: iso(Date.now()), sampledValue: [{ value: '300' }] }],
    };
    await cp.call('MeterValues', reading);
    const stop = { transactionId: provisionalId, meterStop: 500, timestamp: iso(Date.now()) };
    await cp.call('StopTransaction', stop);
    const second = { connectorId: 1, idTag: 'TAG-1', meterStart: 500, timestamp: iso(Date.now() + 1_000) };
    const { transactionId: secondId } = (await cp.call('StartTransaction', second)) as { transactionId: number };
    expect(single.upstream?.backlog('CP-1').messages).toBe(4);
    await cp.close({ force: true });
    await single.stop();

    // Act: the agent starts again on its data as the only node of a cluster on a real etcd, is elected; the CSMS
    // comes back
    const etcd = await EtcdCluster.start(1);
    cleanups.push(() => etcd.stop());
    const node = await ClusterAgent.start({
      nodeId: 'gw-a',
      siteId: SITE_ID,
      endpoints: etcd.endpoints,
      staticOrder: ['gw-a'],
      chargers: 1,
      upstream: offlineUpstream(away),
      dataDir,
    });
    cleanups.push(() => node.stop(true));
    await eventually('gw-a serves as master', () => node.serving, TAKEOVER_MS);
    const back = await away.restart();
    csms = back;
    await back.until('the second start reached the CSMS', () => back.of('StartTransaction', 'CP-1').length >= 2);
    await eventually('gw-a delivered everything', () => node.agent.upstream?.backlog('CP-1').messages === 0);

    // Assert: the CSMS got the four messages once each, in the charger's order, the reading and the stop with its id;
    // the second start's provisional id stays below the first's
    const firstId = back.transactionIdOf('CP-1', start);
    const transactionCalls = back.received
      .filter((call) => call.chargePointId === 'CP-1')
      .filter((call) => call.action !== 'StatusNotification' && call.action !== 'BootNotification');
    expect(transactionCalls.map((call) => [call.action, call.payload])).toEqual([
      ['StartTransaction', start],
      ['MeterValues', { ...reading, transactionId: firstId }],
      ['StopTransaction', { ...stop, transactionId: firstId }],
      ['StartTransaction', second],
    ]);
    expect(firstId).toBeGreaterThan(0);
    expect(secondId).toBeLessThan(provisionalId);
  }, 60_000);
});
