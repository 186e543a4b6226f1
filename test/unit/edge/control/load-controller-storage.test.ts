import { afterEach, describe, expect, it } from 'vitest';
import type { StoreDatabase } from '../../../../edge/store/store-database';
import { plugIn, startHarness, testPolicy, testSite, type Harness } from './control-harness';

/** From now on every write to the real database fails (SQLITE_READONLY), as on a read-only or full disk. */
function refuseWrites(db: StoreDatabase): void {
  db.pragma('query_only = ON');
  expect(() => db.exec("INSERT INTO meta (key, value) VALUES ('probe', 'x')")).toThrow(/readonly/);
}

describe('LoadController when the disk takes no writes', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('should go on cutting and sharing when every write fails, count the failures and log them once', async () => {
    // Arrange: one car charging at the whole 32 A budget, then the database takes no more writes
    const errors: { data: object; message: string }[] = [];
    h = startHarness(testSite(2), testPolicy(), { log: { info() {}, warn() {}, error: (data, message) => errors.push({ data, message }) } });
    plugIn(h, 'CP-1', 1);
    await h.settle(1_000);
    refuseWrites(h.db);
    const before = h.sender.sent.length;

    // Act: a second car arrives (its session cannot be stored), and the periodic energy save runs
    plugIn(h, 'CP-2', 2);
    await h.settle(40_000);

    // Assert: the first car was cut to its share and the second got its share, from memory
    const leases = h.sender.sent.slice(before).map((s) => [s.chargerId, s.lease.amps]);
    expect(leases).toContainEqual(['CP-1', 16]);
    expect(leases).toContainEqual(['CP-2', 16]);
    expect(h.controller.storage.failures).toBeGreaterThan(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('storage write failed: control carries on from memory');
  });
});
