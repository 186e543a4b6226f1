import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { meterRegisterImage } from '../../../sim/meter/meter-register-image';
import { createModbusTcpServer, type ModbusTcpServer } from '../../../sim/meter/modbus-tcp-server';
import type { VirtualCharger } from '../../../sim/charger/virtual-charger';
import { restartPort } from '../../support/restart-port';
import { startEdge, type EdgeFixture } from './support/edge-fixture';

const STALE_SECONDS = 2;
const FALLBACK_AMPS = 16;
/** The fixture's hysteresis step: a car may be held up to a step below its share when the estimate moves. */
const HYSTERESIS_STEP_AMPS = 1;

describe('edge agent in dynamic mode with a Modbus TCP grid meter', () => {
  let edge: EdgeFixture;
  let meter: ModbusTcpServer;
  let building = 10;
  const cars: VirtualCharger[] = [];

  beforeEach(async () => {
    building = 10;
    cars.length = 0;
    // The meter reads the building plus what the virtual 3-phase cars draw, as a real grid meter would.
    const draw = () => cars.reduce((sum, c) => sum + c.drawAmps, 0);
    meter = createModbusTcpServer({
      source: meterRegisterImage('eastron-sdm630', () => ({
        volts: [230, 230, 230],
        amps: [building + draw(), building + draw(), building + draw()],
        importWh: 0,
      })),
      port: await restartPort(),
    });
    const port = await meter.start();
    edge = await startEdge({
      chargers: 2,
      meterPort: port,
      policy: {
        control: {
          mode: 'dynamic',
          safetyMarginAmps: 3,
          staleMeter: { afterSeconds: STALE_SECONDS, fallbackAmps: FALLBACK_AMPS },
        },
      },
    });
    for (const id of ['CP-1', 'CP-2']) {
      const charger = await edge.charger(id);
      await edge.startSession(charger);
      cars.push(charger);
    }
    // the 48 A budget binds (63 A fuse, 10 A building, 3 A margin leave 50 A): 24 A each
    await edge.events.until('both cars at their 24 A share', () =>
      cars.every((c) => c.offeredAmps > 24 - HYSTERESIS_STEP_AMPS && c.offeredAmps <= 24),
    );
  });

  afterEach(async () => {
    await edge.close();
    await meter.stop();
  });

  it('should not report a meter lost at start, before its first poll had a chance (issue 16)', () => {
    // Assert
    expect(edge.events.events.filter((e) => e.type === 'meterLost')).toEqual([]);
  });

  it('should cut the cars on the first reading that shows a rise in building load', async () => {
    // Arrange
    const from = edge.events.events.length;

    // Act: 63 A fuse, 45 A building, 3 A margin: 15 A left for two cars
    building = 45;
    await edge.events.until('both cars cut and accepted', () => cars.every((c) => c.offeredAmps <= 7.5), 3_000);

    // Assert
    const after = edge.events.events.slice(from);
    const firstSeeing = after.find(
      (e) => e.type === 'allocation' && (e.allocation.circuits[0]?.otherLoadAmps?.[0] ?? 0) >= 40,
    );
    // Cut at once; a charger measurement older than the meter reading can make the cut deeper (the safe side), never shallower.
    expect(firstSeeing?.type === 'allocation' && firstSeeing.allocation.connectors.every((c) => c.amps <= 7.5)).toBe(
      true,
    );
    const aboveShare = after
      .slice(after.indexOf(firstSeeing!))
      .filter((e) => e.type === 'profileAccepted' && e.amps > 7.5);
    expect(aboveShare).toEqual([]);
  });

  it('should fall back when the meter dies, keep the cars charging, and recover when it returns', async () => {
    // Act 1: the meter loses power (a slow start may have reported it lost once before its first reading)
    const stoppedAt = Date.now();
    await meter.stop();
    await edge.events.until(
      'meter lost',
      () => edge.events.of('meterLost', stoppedAt).length > 0,
      STALE_SECONDS * 1000 + 3_000,
    );
    await edge.events.until(
      'cars on the fallback',
      () => cars.every((c) => c.offeredAmps === FALLBACK_AMPS / 2),
      3_000,
    );
    const during = edge.events.latest!;

    // Act 2: it comes back
    await meter.start();
    await edge.events.until('meter recovered', () => edge.events.of('meterRecovered', stoppedAt).length > 0, 5_000);
    // Raised as far as the safe estimate allows at once, the rest (under the 1 A hysteresis step) whole within seconds.
    await edge.events.until(
      'cars back within a step of 24 A',
      () => cars.every((c) => c.offeredAmps > 23 && c.offeredAmps <= 24),
      5_000,
    );

    // Assert
    expect(edge.events.of('meterLost', stoppedAt)[0]).toMatchObject({ meterId: 'grid', circuitId: 'main' });
    expect(during.circuits[0]).toMatchObject({
      meter: 'lost',
      limitAmps: [FALLBACK_AMPS, FALLBACK_AMPS, FALLBACK_AMPS],
    });
    expect(during.connectors.every((c) => c.activity === 'active' && c.amps >= 6)).toBe(true);
    expect(cars.every((c) => c.transactionId !== undefined)).toBe(true);
  });

  it('should treat garbage registers as a lost meter, not as readings', async () => {
    // Act
    const garbageAt = Date.now();
    meter.setMode('garbage');
    await edge.events.until(
      'meter lost',
      () => edge.events.of('meterLost', garbageAt).length > 0,
      STALE_SECONDS * 1000 + 3_000,
    );
    meter.setMode('normal');
    await edge.events.until('meter recovered', () => edge.events.of('meterRecovered', garbageAt).length > 0, 5_000);

    // Assert
    expect(edge.events.of('meterLost', garbageAt)[0]!.reason.reason).not.toBe('meterFault.noReading');
    expect(cars.every((c) => c.transactionId !== undefined && c.offeredAmps >= 6)).toBe(true);
  });
});
