import type { RPCClient } from 'ocpp-rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../sim/charger/sim-clock';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';
import { rawChargePoint } from './support/raw-charge-point';

const CP = { id: 'CP-TIME', password: 'clock-password-123', phases: 3 as const, maxAmps: 32 };
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const energy = (wh: number) => [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }];

describe('central system: charger timestamps', () => {
  let fixture: Fixture;
  let clock: ManualClock;
  let client: RPCClient;

  beforeEach(async () => {
    clock = new ManualClock();
    fixture = await startCentralSystem([CP], {}, () => clock.now());
    client = rawChargePoint({ endpoint: fixture.cs.url, identity: CP.id, password: CP.password });
    await client.connect();
  });

  afterEach(async () => {
    await client.close({ force: true });
    await fixture.close();
  });

  it('should carry the times of a transaction the charger queued while offline, with the time of receipt beside them', async () => {
    // Arrange: the charger was offline for three hours and now replays its queue in order
    const now = clock.now();

    // Act
    const { transactionId } = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-1',
      meterStart: 1000,
      timestamp: iso(now - 3 * HOUR),
    })) as { transactionId: number };
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: iso(now - 2 * HOUR), sampledValue: energy(4000) }],
    });
    await client.call('StopTransaction', {
      transactionId,
      meterStop: 7000,
      timestamp: iso(now - HOUR),
      reason: 'EVDisconnected',
    });

    // Assert
    expect(fixture.events.of('transactionStarted', CP.id)[0]?.startedAt).toEqual({
      at: now - 3 * HOUR,
      receivedAt: now,
      source: 'charger',
    });
    const meterValues = fixture.events.of('meterValues', CP.id)[0]!;
    expect(meterValues.sampledAt).toEqual({ at: now - 2 * HOUR, receivedAt: now, source: 'charger' });
    expect(meterValues.sample.at).toBe(now - 2 * HOUR);
    expect(fixture.events.of('transactionStopped', CP.id)[0]?.stoppedAt).toEqual({
      at: now - HOUR,
      receivedAt: now,
      source: 'charger',
    });
  });

  it('should fall back to the time of receipt for a clock far ahead, and log it once', async () => {
    // Arrange
    const now = clock.now();
    const ahead = iso(now + 24 * HOUR);

    // Act
    const { transactionId } = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-1',
      meterStart: 0,
      timestamp: ahead,
    })) as { transactionId: number };
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: ahead, sampledValue: energy(10) }],
    });

    // Assert
    expect(fixture.events.of('transactionStarted', CP.id)[0]?.startedAt).toEqual({
      at: now,
      receivedAt: now,
      source: 'receivedClockAhead',
    });
    expect(fixture.events.of('meterValues', CP.id)[0]?.sample.at).toBe(now);
    expect(
      fixture.logs.filter((l) => l.msg === 'charger clock skewed: its timestamps are replaced by the time of receipt'),
    ).toEqual([
      expect.objectContaining({ chargerId: CP.id, method: 'StartTransaction', source: 'receivedClockAhead' }),
    ]);
  });
});
