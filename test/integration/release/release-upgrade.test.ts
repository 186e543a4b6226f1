/**
 * An upgrade that changes the database (issue 16): a gateway whose data was written at an older schema is upgraded;
 * the new agent migrates the database as it starts (user_version moved, the sessions kept) and answers a charger;
 * `install.sh --rollback` then puts back the database as it was before the upgrade (its schema version and its data)
 * together with the previous release. The same code stands for both versions; the older schema is made as the store's
 * own migration tests make it (test/unit/edge/store/support/database-before.ts).
 */
import { readlinkSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../edge/store/store-database';
import { databaseBefore } from '../../unit/edge/store/support/database-before';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import {
  agentScriptFlags,
  asVersion,
  BootAnswerSchema,
  startInstalled,
  stopped,
  scratchInstall,
  writeSite,
} from './support/installed-release';

/** A closed session, as an agent before the migration that gave every session a row of its own wrote it. */
const SESSION = {
  id: 41,
  charger_id: 'CP-1',
  connector_id: 1,
  id_tag: 'TAG-OLD',
  started_at: 1_700_000_000_000,
  meter_start_wh: 1000,
  energy_wh: 7250,
  stopped_at: 1_700_003_600_000,
  meter_stop_wh: 8250,
  stop_reason: 'Local',
};

/** The schema version of the database file and its sessions, read after the agent has stopped. */
function databaseState(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const sessions = db
      .prepare(`SELECT ${Object.keys(SESSION).join(', ')} FROM transactions ORDER BY started_at`)
      .all();
    return { version, sessions };
  } finally {
    db.close();
  }
}

describe('release upgrade over an older database, and its rollback', () => {
  const unpacked = scratchInstall('ampshare-release-upgrade-');
  const { install } = unpacked;

  it('should migrate the database as the upgraded agent starts, and restore it and the previous release on --rollback', async () => {
    // Arrange: installed, with data at the schema before sessions got rows of their own; a newer version unpacked.
    const current = path.join(unpacked.work, `ampshare-${unpacked.release.version}`);
    install(current);
    const databaseFile = path.join(unpacked.root, 'var/lib/ampshare/ampshare.sqlite');
    const old = databaseBefore(databaseFile, 'CREATE TABLE transactions_by_row');
    old
      .prepare(
        `INSERT INTO transactions (${Object.keys(SESSION).join(', ')}) VALUES (${Object.keys(SESSION)
          .map((key) => `@${key}`)
          .join(', ')})`,
      )
      .run(SESSION);
    old.close();
    const before = databaseState(databaseFile);
    const next = `${unpacked.release.version}-schema`;
    const nextDir = path.join(unpacked.work, `ampshare-${next}`);
    asVersion(current, nextDir, next);

    // Act: upgrade, start the upgraded agent and boot a charger on it; then roll back.
    const upgraded = install(nextDir);
    const { child, urls } = await startInstalled(unpacked.root, agentScriptFlags() ?? '', writeSite(unpacked.root));
    const charger = rawChargePoint({ endpoint: urls.ocpp, identity: 'CP-1' });
    let boot: unknown;
    try {
      await charger.connect();
      boot = await charger.call('BootNotification', { chargePointVendor: 'Test', chargePointModel: 'Upgrade' });
    } finally {
      await charger.close({ force: true });
      await stopped(child);
    }
    const migrated = databaseState(databaseFile);
    const rolledBack = install(nextDir, '--rollback');
    const restored = databaseState(databaseFile);

    // Assert
    expect(before.version).toBeLessThan(MIGRATIONS.length);
    expect(before.sessions).toEqual([SESSION]);
    expect(upgraded).toContain(`upgrading from ${unpacked.release.version} to ${next}`);
    expect(BootAnswerSchema.parse(boot).status).toBe('Accepted');
    expect(migrated).toEqual({ version: MIGRATIONS.length, sessions: [SESSION] });
    expect(rolledBack).toContain(`rolled back from ${next} to ${unpacked.release.version}`);
    expect(rolledBack).toContain(`restored the data of before-${next}`);
    expect(restored).toEqual(before);
    expect(readlinkSync(path.join(unpacked.root, 'opt/ampshare/current'))).toBe(`releases/${unpacked.release.version}`);
  });
});
