import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { toRpcError } from '../../../../edge/ocpp/rpc-errors';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { ID_BLOCK_SIZE, TransactionIdBlocks } from '../../../../edge/store/transaction-id-blocks';

describe('TransactionIdBlocks', () => {
  let dir: string;
  let db: StoreDatabase;
  const reopen = () => {
    db.close();
    db = openStoreDatabase(dir);
    return db;
  };
  const take = async (ids: TransactionIdBlocks, n: number) => {
    const taken: number[] = [];
    for (let i = 0; i < n; i++) taken.push(await ids.next());
    return taken;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-ids-'));
    db = openStoreDatabase(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should hand out ids that stay unique across restarts, a restart starting past the block reserved before', async () => {
    const first = new TransactionIdBlocks(db);
    const ids = await take(first, 2);
    ids.push(await new TransactionIdBlocks(reopen()).next());
    expect(ids).toEqual([1, 2, ID_BLOCK_SIZE + 1]);
  });

  it('should hand out ids of its range only, and refuse once the range is used up', async () => {
    // Arrange: a store that already holds an id below the range (another node's)
    new SqliteSessionStore(db).startSession(
      {
        transactionId: 2,
        chargerId: 'CP-1',
        connectorId: 1,
        idTag: undefined,
        startedAt: 1,
        meterStartWh: 0,
        energyWh: 0,
      },
      { receivedAt: 1, source: 'charger' },
    );
    const ids = new TransactionIdBlocks(db, { first: 11, last: 13 });

    // Act
    const taken = await take(ids, 3);
    const error = await ids.next().catch((e: unknown) => e);

    // Assert
    expect(taken).toEqual([11, 12, 13]);
    expect(AppError.match(error, 'state.invalid')).toBe(true);
  });

  it('should never reuse an id already stored, even if the counter were lost', async () => {
    new SqliteSessionStore(db).startSession(
      {
        transactionId: 41,
        chargerId: 'CP-1',
        connectorId: 1,
        idTag: undefined,
        startedAt: 1,
        meterStartWh: 0,
        energyWh: 0,
      },
      { receivedAt: 1, source: 'charger' },
    );
    db.prepare("DELETE FROM meta WHERE key = 'transactionIdCounter'").run();
    expect(await new TransactionIdBlocks(db).next()).toBe(42);
  });

  it('should keep handing out reserved ids while the disk takes no writes, then refuse with a storage error, and never reuse one after a restart', async () => {
    // Arrange: a few ids taken, then the disk takes no writes
    const ids = new TransactionIdBlocks(db);
    const before = await take(ids, 3);
    db.pragma('query_only = ON');

    // Act: take ids until none is left
    const whileFull: number[] = [];
    let refusal: unknown;
    for (let i = 0; i < 3 * ID_BLOCK_SIZE && refusal === undefined; i++) {
      try {
        whileFull.push(await ids.next());
      } catch (error) {
        refusal = error;
      }
    }
    db.pragma('query_only = OFF');
    const afterRestart = await take(new TransactionIdBlocks(reopen()), 2);

    // Assert: ids from the block in hand, a refusal the charger retries (InternalError), and no id ever twice
    expect(whileFull.length).toBeGreaterThanOrEqual(ID_BLOCK_SIZE / 2);
    expect(AppError.match(refusal, 'storage.unavailable')).toBe(true);
    expect(toRpcError(refusal)).toMatchObject({
      rpcErrorCode: 'InternalError',
      message: 'no transaction id can be stored: the data disk takes no writes; try again later',
    });
    const all = [...before, ...whileFull, ...afterRestart];
    expect(new Set(all).size).toBe(all.length);
    expect(Math.min(...afterRestart)).toBeGreaterThan(Math.max(...before, ...whileFull));
  });

  it('should reserve the next block while half of the current one is still in hand', async () => {
    const ids = new TransactionIdBlocks(db);
    await take(ids, ID_BLOCK_SIZE / 2 + 1);
    const reserved = Number(
      db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'transactionIdCounter'").get()!.value,
    );
    expect(reserved).toBe(2 * ID_BLOCK_SIZE);
  });
});
