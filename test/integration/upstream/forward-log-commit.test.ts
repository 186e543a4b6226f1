/**
 * The forward log's group commits seen from the chargers: several chargers' transaction messages share commits, yet
 * each charger is answered only once its message is on disk (a second connection to the agent's SQLite file sees it
 * when the answer arrives), and after the agent stops, the file holds every answered message in each charger's order.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../edge/store/store-database';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { TsOcppCsms } from './support/ts-ocpp-csms';

const CHARGERS = 4;
const METER_VALUES = 6;
const timestamp = '2026-12-03T08:00:00.000Z';
const meterValues = (transactionId: number, wh: number) => ({
  connectorId: 1,
  transactionId,
  meterValue: [{ timestamp, sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register' }] }],
});

describe('edge agent in front of a CSMS, forward log commits', () => {
  let edge: EdgeFixture | undefined;
  const clients: RPCClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close({ force: true })));
    await edge?.close();
    edge = undefined;
  });

  it('should answer each charger only once its message is committed, and keep every answered one in order', async () => {
    // Arrange: a CSMS that is gone, so that every transaction message stays in the log
    const csms = await TsOcppCsms.start();
    await csms.close();
    edge = await startEdge({
      chargers: CHARGERS,
      upstream: { csmsUrl: csms.url, unknownTags: 'accept', reconnect: { initialDelayMs: 50, maxDelayMs: 200 } },
    });
    const fixture = edge;
    const reader = new Database(path.join(fixture.dataDir, DATABASE_FILE), { readonly: true });
    const onDisk = reader.prepare<[string, string, string], { n: number }>(
      'SELECT count(*) AS n FROM upstream_log WHERE charger_id = ? AND action = ? AND payload = ?',
    );
    const ids = Array.from({ length: CHARGERS }, (_, i) => `CP-${i + 1}`);
    for (const id of ids) {
      const client = rawChargePoint({ endpoint: fixture.agent.ocppUrl, identity: id, password: passwordOf(id) });
      await client.connect();
      clients.push(client);
    }
    const sent = new Map<string, string[]>(ids.map((id) => [id, []]));
    let answeredBeforeCommit = 0;
    /** Sends a call and notes, the moment its answer arrives, whether the agent's file already holds it. */
    const send = async (client: RPCClient, id: string, action: string, payload: object) => {
      const answer = await client.call(action, payload);
      if (onDisk.get(id, action, JSON.stringify(payload))?.n !== 1) answeredBeforeCommit++;
      sent.get(id)?.push(`${action} ${JSON.stringify(payload)}`);
      return answer as { transactionId?: number };
    };

    // Act: every charger a transaction at once (their messages share commits)
    try {
      await Promise.all(
        clients.map(async (client, i) => {
          const id = ids[i] ?? '';
          const start = { connectorId: 1, idTag: `TAG-${i}`, meterStart: 0, timestamp };
          const { transactionId = 0 } = await send(client, id, 'StartTransaction', start);
          for (let n = 1; n <= METER_VALUES; n++) {
            await send(client, id, 'MeterValues', meterValues(transactionId, n * 100));
          }
          await send(client, id, 'StopTransaction', { transactionId, meterStop: 900, timestamp });
        }),
      );
    } finally {
      reader.close();
    }
    await fixture.stopAgent();
    const reopened = new Database(path.join(fixture.dataDir, DATABASE_FILE), { readonly: true });
    const logOf = (id: string) =>
      reopened
        .prepare<[string], { action: string; payload: string }>(
          'SELECT action, payload FROM upstream_log WHERE charger_id = ? ORDER BY seq',
        )
        .all(id)
        .map((r) => `${r.action} ${r.payload}`);
    const kept = ids.map(logOf);
    reopened.close();

    // Assert
    expect(answeredBeforeCommit).toBe(0);
    expect(kept).toEqual(ids.map((id) => sent.get(id)));
    expect(kept.flat()).toHaveLength(CHARGERS * (METER_VALUES + 2));
  });
});
