/**
 * Charger credentials in the ledger (edge/cluster/ledger-chargers.ts) on a real etcd, with a real leader and the
 * agent's real SQLite registry: a thousand chargers' records fit and come back whole into a new master's store, which
 * then checks each charger's password against them; a record that is not one stops the rebuild; keys are checked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LedgerChargers } from '../../../edge/cluster/ledger-chargers';
import { MAX_LEDGER_VALUE_BYTES } from '../../../edge/cluster/leader-ledger';
import { hashPassword } from '../../../edge/security/password-hash';
import { SqliteChargerRegistry } from '../../../edge/store/charger-registry';
import { openStoreDatabase, type StoreDatabase } from '../../../edge/store/store-database';
import { EtcdCluster } from './support/etcd-cluster';
import { RecordedNode, siteSettings } from './support/recorded-node';

const CHARGERS = 1_000;

describe('charger credentials in the cluster ledger', () => {
  let etcd: EtcdCluster;
  let node: RecordedNode | undefined;
  let db: StoreDatabase | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
  });
  afterEach(async () => {
    await node?.close();
    db?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  async function leader(): Promise<RecordedNode> {
    node = new RecordedNode('gw-a', siteSettings(etcd.endpoints, 6));
    node.leadership.start();
    await node.electedTimes(1, 15_000);
    return node;
  }

  function registry(): SqliteChargerRegistry {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-ledger-chargers-'));
    db = openStoreDatabase(dir);
    return new SqliteChargerRegistry(db, []);
  }

  it('should keep a thousand chargers and put them in a new master’s store, where each password is checked', async () => {
    // Arrange: every charger with a production hash (one computed: scrypt costs 30 ms), every tenth switched off
    const { ledger } = await leader();
    const chargers = new LedgerChargers(ledger);
    const hash = await hashPassword('password-of-every-charger');
    const ids = Array.from({ length: CHARGERS }, (_, i) => `CHARGER-${String(i).padStart(4, '0')}`);
    for (const [i, id] of ids.entries())
      await chargers.write(id, {
        passwordHash: hash,
        passwordSetAt: 1_000 + i,
        passwordBasis: hash,
        enabled: i % 10 > 0,
      });
    const store = registry();

    // Act
    const changed = await chargers.rebuild(store);
    const again = await chargers.rebuild(store);

    // Assert
    expect(changed).toEqual({ changed: CHARGERS, recorded: 0 });
    expect(again).toEqual({ changed: 0, recorded: 0 });
    expect(store.credentials('CHARGER-0999')).toEqual({
      passwordHash: hash,
      passwordSetAt: 1_999,
      passwordBasis: hash,
      enabled: true,
    });
    expect(store.record('CHARGER-0010').enabled).toBe(false);
    await expect(store.verify('CHARGER-0500', Buffer.from('password-of-every-charger'))).resolves.toBe('valid');
    await expect(store.verify('CHARGER-0500', Buffer.from('another-password'))).resolves.toBe('invalid');
    const values = [...(await ledger.list('chargers', CHARGERS)).values()].map((entry) => entry.value);
    expect(Math.max(...values.map((value) => Buffer.byteLength(value)))).toBeLessThan(MAX_LEDGER_VALUE_BYTES);
    expect(values.join()).not.toContain('password-of-every-charger');
  });

  it("should record what the node's dashboard changed before the ledger had it, and leave the ledger's record to win", async () => {
    // Arrange: on this node's dashboard, CP-1's password set and CP-2 switched off (the site was no cluster yet); CP-3
    // has its configured hash only; the ledger holds CP-1's record from another master already, and CP-4's
    const { ledger } = await leader();
    const chargers = new LedgerChargers(ledger);
    const store = registry();
    store.setPasswordHashes(new Map([['CP-3', 'configured-hash-of-cp-3']]));
    store.setDashboardPassword('CP-1', 'hash-set-here', 10);
    store.setDashboardPassword('CP-5', 'hash-of-cp-5', 20);
    store.setEnabled('CP-2', false);
    const fromOtherMaster = {
      passwordHash: 'hash-from-the-ledger',
      passwordSetAt: 30,
      passwordBasis: null,
      enabled: true,
    };
    await chargers.write('CP-1', fromOtherMaster);
    await chargers.write('CP-4', { ...fromOtherMaster, passwordSetAt: 40 });

    // Act
    const first = await chargers.rebuild(store);
    const second = await chargers.rebuild(store);

    // Assert
    expect(first).toEqual({ changed: 2, recorded: 2 });
    expect(second).toEqual({ changed: 0, recorded: 0 });
    const recorded = await chargers.read();
    expect([...recorded.keys()].sort()).toEqual(['CP-1', 'CP-2', 'CP-4', 'CP-5']);
    expect(recorded.get('CP-1')).toEqual(fromOtherMaster);
    expect(recorded.get('CP-2')).toMatchObject({ enabled: false, passwordSetAt: null });
    expect(recorded.get('CP-5')).toEqual({
      passwordHash: 'hash-of-cp-5',
      passwordSetAt: 20,
      passwordBasis: null,
      enabled: true,
    });
    expect(store.credentials('CP-1')).toEqual(fromOtherMaster);
  });

  it('should refuse to rebuild from a record that is not a charger record, and a charger id that is not one', async () => {
    // Arrange
    const { ledger } = await leader();
    const chargers = new LedgerChargers(ledger);
    await ledger.put('chargers/CP-1', JSON.stringify({ passwordHash: 'x', enabled: 'yes' }));

    // Act / Assert
    await expect(chargers.rebuild(registry())).rejects.toMatchObject({ code: 'state.invalid' });
    await expect(
      chargers.write('CP/2', { passwordHash: null, passwordSetAt: null, passwordBasis: null, enabled: true }),
    ).rejects.toMatchObject({ code: 'message.invalid' });
  });
});
