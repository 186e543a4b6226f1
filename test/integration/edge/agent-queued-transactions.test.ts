import path from 'node:path';
import Database from 'better-sqlite3';
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../edge/store/store-database';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { passwordOf, startEdge, type EdgeFixture } from './support/edge-fixture';

const HOUR = 3_600_000;
/** Whole seconds, as OCPP timestamps usually are. */
const iso = (ms: number) => new Date(ms).toISOString();

describe('edge agent: transactions a charger queued while offline', () => {
  let edge: EdgeFixture;
  let client: RPCClient | undefined;
  afterEach(async () => {
    await client?.close({ force: true });
    await edge.close();
  });

  it("should store them with the charger's start and stop times, not the time they arrived", async () => {
    // Arrange
    edge = await startEdge({ chargers: 1 });
    client = rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: 'CP-1', password: passwordOf('CP-1') });
    await client.connect();
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Queue' });
    const startedAt = Math.floor(Date.now() / 1000) * 1000 - 3 * HOUR;
    const stoppedAt = startedAt + 2 * HOUR;

    // Act: the queue replayed in order on reconnection
    const { transactionId } = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-1',
      meterStart: 1000,
      timestamp: iso(startedAt),
    })) as { transactionId: number };
    await client.call('StopTransaction', {
      transactionId,
      meterStop: 9000,
      timestamp: iso(stoppedAt),
      reason: 'EVDisconnected',
    });
    await edge.events.until('session ended', () => edge.events.of('sessionEnded').length === 1);

    // Assert
    const db = new Database(path.join(edge.dataDir, DATABASE_FILE), { readonly: true });
    try {
      expect(
        db
          .prepare(
            'SELECT started_at, start_time_source, stopped_at, stop_time_source, energy_wh FROM transactions WHERE id = ?',
          )
          .get(transactionId),
      ).toEqual({
        started_at: startedAt,
        start_time_source: 'charger',
        stopped_at: stoppedAt,
        stop_time_source: 'charger',
        energy_wh: 8000,
      });
    } finally {
      db.close();
    }
    expect(edge.events.of('sessionEnded')[0]).toMatchObject({ startedAt, stoppedAt });
  });
});
