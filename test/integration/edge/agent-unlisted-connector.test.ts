import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../edge/store/store-database';
import { startEdge, type EdgeFixture } from './support/edge-fixture';

describe('edge agent with a charger that uses a connector the site file does not list', () => {
  let edge: EdgeFixture;
  afterEach(async () => edge.close());

  it('should adopt connector 2 of a charger listed with one, lease its transaction and store its energy', async () => {
    // Arrange: CP-1 is listed with the default one connector; the car is on its second socket
    edge = await startEdge({ chargers: 2 });
    const cp1 = await edge.charger('CP-1', { connectorId: 2, numberOfConnectors: 2 });

    // Act
    const transactionId = await edge.startSession(cp1);
    await edge.events.until('CP-1/2 leased', () =>
      edge.events.of('profileAccepted').some((e) => e.chargerId === 'CP-1' && e.connectorId === 2 && e.amps > 6),
    );
    // The charger's MeterValues (every second) carry its energy register; rounds run at least every tick.
    const energyWh = () =>
      edge.agent.controller.snapshot().connectors.find((c) => c.ref === 'CP-1/2')?.session?.energyWh ?? 0;
    await edge.events.until('energy counted on CP-1/2', () => energyWh() > 0);
    await cp1.stop();
    await edge.events.until('session ended', () => edge.events.of('sessionEnded').length === 1);

    // Assert
    expect(edge.events.of('connectorAdopted').map((e) => [e.ref, e.cause])).toEqual([['CP-1/2', 'status']]);
    expect(
      edge.profiles
        .leases()
        .filter((f) => f.kind === 'answer')
        .map((f) => [f.chargerId, f.connectorId, f.status]),
    ).toContainEqual(['CP-1', 2, 'Accepted']);
    const ended = edge.events.of('sessionEnded')[0]!;
    expect(ended).toMatchObject({ ref: 'CP-1/2', transactionId });
    expect(ended.energyWh).toBeGreaterThan(0);
    const db = new Database(path.join(edge.dataDir, DATABASE_FILE), { readonly: true });
    try {
      const stored = db
        .prepare<[number], { connector_id: number; energy_wh: number; stopped_at: number | null }>(
          'SELECT connector_id, energy_wh, stopped_at FROM transactions WHERE id = ?',
        )
        .get(transactionId);
      const adopted = db.prepare('SELECT charger_id, connector_id FROM adopted_connectors').all();
      expect(stored).toMatchObject({ connector_id: 2, energy_wh: ended.energyWh });
      expect(stored?.stopped_at).not.toBeNull();
      expect(adopted).toEqual([{ charger_id: 'CP-1', connector_id: 2 }]);
    } finally {
      db.close();
    }
  });

  it('should answer Invalid to a transaction on a connector beyond what the charger reports, and say why', async () => {
    // Arrange: CP-2 reports one connector
    edge = await startEdge({ chargers: 2 });
    const cp2 = await edge.charger('CP-2', { numberOfConnectors: 1 });
    await edge.events.until('CP-2 configured', () => edge.agent.centralSystem.capabilities('CP-2') !== undefined);

    // Act
    const answer = (await cp2.client.call('StartTransaction', {
      connectorId: 2,
      idTag: 'TAG-1',
      meterStart: 0,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number; idTagInfo: { status: string } };
    const stop = await cp2.client.call('StopTransaction', {
      transactionId: answer.transactionId,
      meterStop: 0,
      timestamp: new Date().toISOString(),
      reason: 'DeAuthorized',
    });

    // Assert
    expect(answer.idTagInfo.status).toBe('Invalid');
    expect(stop).toEqual({});
    expect(edge.events.of('connectorRefused').map((e) => [e.ref, e.reason, e.transactionId])).toEqual([
      [
        'CP-2/2',
        { reason: 'event.adoptionRefused.beyondReported', params: { connectorId: 2, reported: 1 } },
        answer.transactionId,
      ],
    ]);
    expect(edge.events.of('sessionStarted')).toEqual([]);
  });
});
