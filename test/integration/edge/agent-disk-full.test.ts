/**
 * The agent on a real small data filesystem (a 4 MB tmpfs, mounted by the test: needs root, as CI runs): filled up
 * while chargers charge, then freed; and started on a full and on a read-only one.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../../cloud/local/start-local-cloud';
import { DATABASE_FILE } from '../../../edge/store/store-database';
import { fillFilesystem, isRoot, mountSmallFilesystem, type SmallFilesystem } from '../../support/small-filesystem';
import { edgeConfig, startEdge, type EdgeFixture } from './support/edge-fixture';
import { dashboardSession } from './support/dashboard-session';
import { startSyncedEdge, untilCloud } from './support/synced-edge';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

interface StoredTransaction {
  id: number;
  stopped: 0 | 1;
}

function storedTransactions(dataDir: string): StoredTransaction[] {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db
      .prepare<[], StoredTransaction>('SELECT id, stopped_at IS NOT NULL AS stopped FROM transactions ORDER BY id')
      .all();
  } finally {
    db.close();
  }
}

describe.skipIf(!isRoot)('edge agent on a small data filesystem (tmpfs; the test mounts it, so it needs root)', () => {
  let disk: SmallFilesystem;
  let mountPoint: string;
  let edge: EdgeFixture | undefined;

  beforeAll(async () => {
    disk = await mountSmallFilesystem('4m');
    mountPoint = disk.mountPoint;
  });
  afterEach(async () => {
    await edge?.close(true);
    edge = undefined;
    rmSync(path.join(mountPoint, 'filler'), { force: true });
  });
  afterAll(async () => {
    await disk.unmount();
  });

  it('should keep chargers, control and unique transaction ids when the disk fills, raise the event once, and store what waited once space returns', async () => {
    // Arrange: one car charging, its data folder on the small filesystem
    const dataDir = path.join(mountPoint, 'full-run');
    const filler = path.join(mountPoint, 'filler');
    edge = await startEdge({ chargers: 3, dataDir });
    const page = dashboardSession(edge.agent, 'disk-full-admin-password');
    const [cp1, cp2] = [await edge.charger('CP-1'), await edge.charger('CP-2')];
    const first = await edge.startSession(cp1);
    const leased = (chargerId: string, amps: number) => () =>
      edge!.events.of('profileAccepted').some((e) => e.chargerId === chargerId && e.amps === amps);
    await edge.events.until('CP-1 leased 32 A', leased('CP-1', 32));

    // Act 1: the disk fills (the dashboard's admin password set before); the energy save (every second) finds it full
    await page.monitoring();
    fillFilesystem(filler);
    await edge.events.until('storage full raised', () => edge!.events.of('storagePaused').length > 0, 10_000);

    // Act 2: a charger boots, two cars arrive and the first leaves while the disk is full
    const cp3 = await edge.charger('CP-3');
    const second = await edge.startSession(cp2);
    await edge.events.until('CP-1 cut to 24 A for CP-2', leased('CP-1', 24));
    const third = await edge.startSession(cp3);
    await cp1.stop();
    await edge.events.until('CP-1 session ended', () =>
      edge!.events.of('sessionEnded').some((e) => e.transactionId === first),
    );
    const whileFull = storedTransactions(dataDir);
    const events = (await page.monitoring()).events;

    // Act 3: space returns
    unlinkSync(filler);
    await edge.events.until('storage recovered', () => edge!.events.of('storageRecovered').length > 0, 10_000);
    const afterwards = storedTransactions(dataDir);

    // Assert: the agent stayed up with every charger, control went on (CP-1 was cut, the others shared), the event
    // was raised once on the dashboard, ids stayed unique, and nothing that waited was lost
    expect(edge.agent.centralSystem.connectedChargers().sort()).toEqual(['CP-1', 'CP-2', 'CP-3']);
    expect(edge.events.of('storagePaused')).toHaveLength(1);
    // The real full disk's words (SQLite's) are said as their cause, by reason (before: the words themselves)
    expect(events.filter((e) => e.source === 'storage').map((e) => [e.message, e.reason, e.params])).toEqual([
      [
        'storage unavailable: history paused (the disk is full); control carries on from memory, writes are retried',
        'event.storagePaused',
        { reason: { ref: 'storageCause.diskFull' } },
      ],
    ]);
    expect(new Set([first, second, third]).size).toBe(3);
    expect(whileFull).toEqual([{ id: first, stopped: 0 }]);
    expect(afterwards).toEqual([
      { id: first, stopped: 1 },
      { id: second, stopped: 0 },
      { id: third, stopped: 0 },
    ]);
    expect(edge.agent.controller.storage.waiting).toBe(0);

    // Act 4: a restart after the full disk
    const port = edge.agent.ocppPort;
    await edge.close(true);
    edge = await startEdge({ chargers: 3, dataDir, ocppPort: port });
    const cp1Again = await edge.charger('CP-1');
    const fourth = await edge.startSession(cp1Again, 'TAG-2');

    // Assert: no id handed out before is handed out again
    expect(fourth).toBeGreaterThan(Math.max(first, second, third));
  });

  it('should tell the cloud "storage full" and its recovery once space returns, though the outbox shares the full disk', async () => {
    // Arrange: a synced agent with its data folder (database and outbox) on the small filesystem, one car charging
    const cloud = await startLocalCloud({ apiPort: 0, mqttPort: 0 });
    try {
      edge = await startSyncedEdge(cloud, { chargers: 1, dataDir: path.join(mountPoint, 'synced-run') });
      await edge.startSession(await edge.charger('CP-1'));
      const stored = async () =>
        (
          await cloud.repositories.events.list(cloud.demo.tenantId, cloud.demo.siteId, {
            from: 0,
            to: Date.now() + 3_600_000,
            limit: 100,
          })
        ).items;

      // Act: the disk fills, then space returns
      fillFilesystem(path.join(mountPoint, 'filler'));
      await edge.events.until('storage full raised', () => edge!.events.of('storagePaused').length > 0, 10_000);
      rmSync(path.join(mountPoint, 'filler'));
      await edge.events.until('storage recovered', () => edge!.events.of('storageRecovered').length > 0, 10_000);
      await untilCloud(
        cloud,
        'both storage events in the cloud',
        async () => (await stored()).filter((e) => e.type.startsWith('storage.')).length === 2,
      );

      // Assert (the cloud stores the edge's critical severity as error)
      const events = (await stored()).filter((e) => e.type.startsWith('storage.')).sort((a, b) => a.at - b.at);
      expect(events.map((e) => [e.type, e.severity])).toEqual([
        ['storage.full', 'error'],
        ['storage.recovered', 'info'],
      ]);
      expect(events[0]!.message).toMatch(/^storage unavailable: history paused \(the disk is full\)/);
    } finally {
      await edge?.close(true);
      edge = undefined;
      await cloud.stop();
    }
  });

  const startCli = async (dataDir: string) => {
    const configFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'ampshare-disk-config-')), 'site.json');
    writeFileSync(
      configFile,
      JSON.stringify({ ...edgeConfig({ chargers: 1 }, dataDir), dashboard: { enabled: false } }),
    );
    try {
      await run(process.execPath, ['--import', 'tsx', 'edge/start.ts', '--config', configFile], {
        cwd: ROOT,
        timeout: 30_000,
      });
      return { code: 0, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, stderr: failed.stderr };
    } finally {
      rmSync(path.dirname(configFile), { recursive: true, force: true });
    }
  };

  it('should refuse to start on a full disk, naming the file and what it needs, without a stack trace', async () => {
    // Arrange: a data folder used once, then a full disk
    const dataDir = path.join(mountPoint, 'start-full');
    edge = await startEdge({ chargers: 1, dataDir });
    await edge.close(true);
    edge = undefined;
    const filler = path.join(mountPoint, 'filler');
    fillFilesystem(filler);

    // Act
    const { code, stderr } = await startCli(dataDir);

    // Assert
    expect(code).not.toBe(0);
    expect(stderr).toMatch(
      new RegExp(
        `^ampshare: cannot write ${path.join(dataDir, '[a-z]+\\.sqlite')}: the disk is full: free space on its filesystem`,
      ),
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('should refuse to start on a read-only data folder, naming the file and what it needs, without a stack trace', async () => {
    // Arrange: a data folder used once, then its filesystem remounted read-only
    const dataDir = path.join(mountPoint, 'start-read-only');
    mkdirSync(dataDir, { recursive: true });
    edge = await startEdge({ chargers: 1, dataDir });
    await edge.close(true);
    edge = undefined;
    await disk.remount('remount,ro');

    // Act
    const { code, stderr } = await startCli(dataDir).finally(() => disk.remount('remount,rw'));

    // Assert
    expect(code).not.toBe(0);
    expect(stderr).toMatch(
      new RegExp(`^ampshare: cannot write ${path.join(dataDir, DATABASE_FILE)}: the folder is read-only`),
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
