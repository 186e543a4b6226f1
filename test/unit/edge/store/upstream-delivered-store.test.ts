import { describe, expect, it } from 'vitest';
import { openStoreDatabase } from '../../../../edge/store/store-database';
import {
  DELIVERED_KEPT_PER_CHARGER,
  SqliteUpstreamDeliveredMessages,
} from '../../../../edge/store/upstream-delivered-store';
import { useTempStore } from './support/temp-store';

const reading = (n: number) => ({ connectorId: 1, transactionId: 7, meterValue: [{ n }] });

describe('SqliteUpstreamDeliveredMessages', () => {
  const store = useTempStore('ampshare-delivered-');

  it("should answer the charger's very message as the CSMS did, after the file is reopened, and nothing else", () => {
    // Arrange
    new SqliteUpstreamDeliveredMessages(store.db).remember('CP-1', 'StopTransaction', { transactionId: 7 }, { x: 1 });
    store.db.close();
    store.db = openStoreDatabase(store.dir);
    const delivered = new SqliteUpstreamDeliveredMessages(store.db);

    // Act
    const answers = [
      delivered.answer('CP-1', 'StopTransaction', { transactionId: 7 }),
      delivered.answer('CP-2', 'StopTransaction', { transactionId: 7 }),
      delivered.answer('CP-1', 'MeterValues', { transactionId: 7 }),
      delivered.answer('CP-1', 'StopTransaction', { transactionId: 8 }),
    ];

    // Assert
    expect(answers).toEqual([{ x: 1 }, undefined, undefined, undefined]);
  });

  it('should keep the latest messages of each charger only', () => {
    // Arrange
    const delivered = new SqliteUpstreamDeliveredMessages(store.db);
    delivered.remember('CP-2', 'MeterValues', reading(0), {});

    // Act: one more than kept, the first of them remembered again (it becomes the latest)
    for (let n = 0; n <= DELIVERED_KEPT_PER_CHARGER; n++) delivered.remember('CP-1', 'MeterValues', reading(n), {});
    delivered.remember('CP-1', 'MeterValues', reading(0), {});

    // Assert
    const kept = (n: number) => delivered.answer('CP-1', 'MeterValues', reading(n)) !== undefined;
    expect([kept(0), kept(1), kept(2), kept(DELIVERED_KEPT_PER_CHARGER)]).toEqual([true, false, true, true]);
    expect(delivered.answer('CP-2', 'MeterValues', reading(0))).toEqual({});
    expect(store.db.prepare("SELECT count(*) AS n FROM upstream_delivered WHERE charger_id = 'CP-1'").get()).toEqual({
      n: DELIVERED_KEPT_PER_CHARGER,
    });
  });
});
