/**
 * The forward log on a real full disk (a 4 MB tmpfs the test mounts: needs root, as CI runs): chargers go on sending
 * their transaction messages while the CSMS is away and the disk fills, or the CSMS comes back while it is full. The
 * agent stays up, a message it could not store is refused with a CALLERROR (the charger keeps it and sends it again),
 * nothing it answered is lost, nothing reaches the CSMS twice, and everything is delivered once space returns.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../edge/store/store-database';
import type { UpstreamConfigInput } from '../../../edge/upstream/upstream-config';
import { fillFilesystem, isRoot, mountSmallFilesystem, type SmallFilesystem } from '../../support/small-filesystem';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import ocppRpc from 'ocpp-rpc';
import { LINK_REPORT_WINDOW_MS } from '../../../edge/upstream/upstream-link-report';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { inChargerTerms, receivedTwice } from './support/csms-records';
import { signedIn } from './support/dashboard-api';
import { QueueingChargePoint, type TransactionAction } from './support/queueing-charge-point';
import { TsOcppCsms } from './support/ts-ocpp-csms';
import { VirtualTime } from './support/virtual-time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const virtual = new VirtualTime(Date.UTC(2026, 11, 3, 6), 250);

const upstream = (csms: TsOcppCsms): UpstreamConfigInput => ({
  csmsUrl: csms.url,
  unknownTags: 'accept',
  answerTimeoutMs: 5_000,
  callTimeoutMs: 60_000,
  reconnect: { initialDelayMs: 1_000, maxDelayMs: 10_000 },
});

/** The body of a transaction message, told apart by `n` (timestamps from the virtual clock). */
function body(action: TransactionAction, n: number): Record<string, unknown> {
  const timestamp = new Date(virtual.now()).toISOString();
  if (action === 'StartTransaction') return { connectorId: 1, idTag: `TAG-${n}`, meterStart: n * 1_000, timestamp };
  if (action === 'StopTransaction') return { meterStop: n * 1_000 + 500, timestamp, reason: 'EVDisconnected' };
  const sampledValue = [{ value: String(n * 1_000 + 100), measurand: 'Energy.Active.Import.Register' }];
  return { connectorId: 1, meterValue: [{ timestamp, sampledValue }] };
}

function storedLog(dataDir: string): number {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM upstream_log').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe.skipIf(!isRoot)(
  'edge agent in front of a CSMS on a full disk (tmpfs; the test mounts it, so it needs root)',
  () => {
    let disk: SmallFilesystem;
    let edge: EdgeFixture | undefined;
    let csms: TsOcppCsms | undefined;
    let chargers: QueueingChargePoint[] = [];
    const filler = () => path.join(disk.mountPoint, 'filler');

    beforeAll(async () => {
      disk = await mountSmallFilesystem('4m');
    });
    afterEach(async () => {
      await Promise.all(chargers.map((c) => c.disconnect()));
      await edge?.close(true);
      await csms?.close();
      edge = csms = undefined;
      rmSync(filler(), { force: true });
    });
    afterAll(async () => {
      await disk.unmount();
    });

    async function startSite(name: string, csmsNow: TsOcppCsms): Promise<EdgeFixture> {
      chargers = ['CP-1', 'CP-2'].map((id) => new QueueingChargePoint(id, passwordOf(id)));
      const fixture = await startEdge({
        chargers: chargers.length,
        dataDir: path.join(disk.mountPoint, name),
        upstream: upstream(csmsNow),
        upstreamClock: virtual.clock,
      });
      await virtual.during(Promise.all(chargers.map((c) => c.connect(fixture.agent.ocppUrl))));
      return fixture;
    }
    /** Each charger makes the same step of its transaction `transaction` (numbered `n` for its readings). */
    const everyCharger = (transaction: string, action: TransactionAction, n: number) =>
      virtual.during(
        Promise.all(chargers.map((c, i) => c.make(`${c.id}/${transaction}`, action, body(action, n + i * 100)))),
      );
    const backlogs = () => chargers.map((c) => edge?.agent.upstream?.backlog(c.id).messages);
    const allDelivered = () =>
      chargers.every((c) => c.pending === 0 && edge?.agent.upstream?.backlog(c.id).messages === 0);

    it('should refuse what it cannot store while the CSMS is away, lose nothing it answered, and deliver it all once space returns', async () => {
      // Arrange: the CSMS is away; each charger's first transaction starts and sends a reading before the disk fills
      csms = await TsOcppCsms.start();
      await csms.close();
      edge = await startSite('away', csms);
      await everyCharger('t1', 'StartTransaction', 1);
      await everyCharger('t1', 'MeterValues', 2);
      const queuedBefore = backlogs();

      // Act 1: the disk fills; the chargers go on (a reading, the stop, a new transaction and its reading)
      fillFilesystem(filler());
      await everyCharger('t1', 'MeterValues', 3);
      await everyCharger('t1', 'StopTransaction', 4);
      await everyCharger('t2', 'StartTransaction', 5);
      await everyCharger('t2', 'MeterValues', 6);
      const whileFull = chargers.map((c) => ({ pending: c.pending, refusals: [...new Set(c.refusals)] }));
      const queuedWhileFull = backlogs();

      // Act 2: space returns and the chargers send what they kept; then the CSMS returns
      rmSync(filler());
      await virtual.during(Promise.all(chargers.map((c) => c.flush())));
      const queuedAfterFull = backlogs();
      csms = await csms.restart();
      await virtual.until('backlog delivered', allDelivered, HOUR);

      // Assert: while full, each charger was refused with InternalError and kept its 4 messages; the agent's log held
      // only the 2 it had answered; afterwards all 6, delivered once each, in the charger's order
      expect(queuedBefore).toEqual([2, 2]);
      expect(whileFull).toEqual(chargers.map(() => ({ pending: 4, refusals: ['InternalError'] })));
      expect(queuedWhileFull).toEqual([2, 2]);
      expect(queuedAfterFull).toEqual([6, 6]);
      for (const charger of chargers) expect(inChargerTerms(csms, charger)).toEqual(charger.made);
      expect(receivedTwice(csms)).toEqual([]);
      expect(edge.agent.centralSystem.connectedChargers().sort()).toEqual(['CP-1', 'CP-2']);
      expect(storedLog(edge.dataDir)).toBe(0);
    }, 120_000);

    it('should not send again what the CSMS answered while the disk was full, and drain the rest once space returns', async () => {
      // Arrange: a transaction delivered online, then the CSMS goes away and the rest of it and a second one are queued
      csms = await TsOcppCsms.start();
      edge = await startSite('returning', csms);
      await virtual.until('links up', () => chargers.every((c) => edge?.agent.upstream?.isOpen(c.id)), MINUTE);
      await everyCharger('t1', 'StartTransaction', 1);
      await everyCharger('t1', 'MeterValues', 2);
      await virtual.until('online messages delivered', allDelivered, MINUTE);
      await csms.close();
      await virtual.until('links down', () => chargers.every((c) => !edge?.agent.upstream?.isOpen(c.id)), MINUTE);
      await everyCharger('t1', 'MeterValues', 3);
      await everyCharger('t1', 'StopTransaction', 4);
      await everyCharger('t2', 'StartTransaction', 5);
      await everyCharger('t2', 'MeterValues', 6);
      const queuedOffline = backlogs();

      // Act 1: the disk fills and the CSMS comes back (it gets each charger's boot and status again first); five
      // minutes later space returns
      fillFilesystem(filler());
      csms = await csms.restart();
      const back = csms;
      back.unanswered.set('MeterValues', chargers.length);
      const booted = (c: QueueingChargePoint) => back.of('BootNotification', c.id).length >= 2;
      await virtual.until('the boots again at the CSMS', () => chargers.every(booted), 5 * MINUTE);
      await virtual.pass(5 * MINUTE);
      const bootsWhileFull = chargers.map((c) => back.of('BootNotification', c.id).length);
      rmSync(filler());

      // Act 2: the CSMS leaves each charger's first queued reading unanswered, and the disk fills again before the
      // agent sends it again and the CSMS answers it; five minutes later space returns
      const firstQueued = (c: QueueingChargePoint) => back.of('MeterValues', c.id).length >= 2;
      await virtual.until('the first queued reading at the CSMS', () => chargers.every(firstQueued), 5 * MINUTE);
      fillFilesystem(filler());
      await virtual.pass(5 * MINUTE);
      const readingsWhileFull = chargers.map((c) => back.of('MeterValues', c.id).length);
      rmSync(filler());
      await virtual.until('backlog delivered', allDelivered, HOUR);

      // Assert: nothing the CSMS answered was sent again (before: the boot and status, then the reading, over and
      // over while the disk was full, as if the CSMS had refused them); only the reading it left unanswered came
      // twice; nothing was set aside, and everything arrived in the charger's order
      expect(queuedOffline).toEqual([4, 4]);
      expect(bootsWhileFull).toEqual([2, 2]);
      expect(readingsWhileFull).toEqual([3, 3]);
      expect(chargers.map((c) => back.of('StatusNotification', c.id).length)).toEqual([2, 2]);
      const twice = receivedTwice(back).map((r) => `${r.chargePointId} ${r.action}`);
      expect(twice.sort()).toEqual(['CP-1 MeterValues', 'CP-1 MeterValues', 'CP-2 MeterValues', 'CP-2 MeterValues']);
      for (const charger of chargers) expect(inChargerTerms(back, charger)).toEqual(charger.made);
      expect(storedLog(edge.dataDir)).toBe(0);
      expect(edge.agent.centralSystem.connectedChargers().sort()).toEqual(['CP-1', 'CP-2']);
    }, 120_000);

    it('should answer a boot and a status the CSMS answered with a CALLERROR when the agent cannot keep their copy, and report it', async () => {
      // Arrange: online, the dashboard signed in (its session is stored) before the disk fills
      csms = await TsOcppCsms.start();
      const online = csms;
      edge = await startEdge({
        chargers: 1,
        dataDir: path.join(disk.mountPoint, 'online'),
        upstream: upstream(online),
        upstreamClock: virtual.clock,
      });
      const dashboard = await signedIn(edge.agent);
      const charger = rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
      await charger.connect();
      await virtual.until('link up', () => edge?.agent.upstream?.isOpen('CP-1') ?? false, MINUTE);

      // Act: the disk fills; the charger boots and reports its connector
      fillFilesystem(filler());
      const answers: string[] = [];
      const calls = [
        ['BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Full' }],
        ['StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }],
      ] as const;
      for (const [method, params] of calls) {
        await virtual
          .during(charger.call(method, params))
          .then(() => answers.push(`${method} answered`))
          .catch((error: unknown) =>
            answers.push(`${method} ${error instanceof ocppRpc.RPCError ? error.rpcErrorCode : String(error)}`),
          );
      }
      await virtual.pass(LINK_REPORT_WINDOW_MS);
      rmSync(filler());
      await charger.close({ force: true });

      // Assert: the CSMS has both, yet the charger is told neither was taken (before the report: no event at all)
      expect(answers).toEqual(['BootNotification InternalError', 'StatusNotification InternalError']);
      expect([online.of('BootNotification'), online.of('StatusNotification')]).toEqual([[calls[0][1]], [calls[1][1]]]);
      const lines = (await dashboard.upstreamEvents()).filter((e) => e.severity === 'error');
      expect(lines.map((e) => e.message)).toEqual([
        'CSMS forward log cannot be written for charger CP-1 (2 writes refused, the disk is full or failing): their messages get a CALLERROR and stay with the chargers, delivery waits for the disk',
      ]);
    }, 120_000);
  },
);
