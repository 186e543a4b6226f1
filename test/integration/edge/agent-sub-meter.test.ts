import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VirtualCharger } from '../../../sim/charger/virtual-charger';
import { startMeteredEdge, type MeteredEdge } from './support/metered-edge';

const FALLBACK_AMPS = 8;

describe('edge agent with a grid meter and a metered sub-distribution', () => {
  let edge: MeteredEdge;
  let mainLoad = 5;
  let garageLoad = 5;
  let onMain: VirtualCharger;
  let inGarage: VirtualCharger;

  beforeEach(async () => {
    mainLoad = 5;
    garageLoad = 5;
    edge = await startMeteredEdge(
      {
        $schemaVersion: 1,
        id: 'sub-site',
        circuits: [
          { id: 'main', parent: null, fuseAmps: 100, meterId: 'grid' },
          { id: 'garage', parent: 'main', fuseAmps: 32, meterId: 'garage' },
        ],
        chargers: [
          { id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 32 },
          { id: 'CP-2', circuit: 'garage', phases: 3, maxAmps: 32 },
        ],
      },
      {
        control: { mode: 'dynamic', safetyMarginAmps: 2, staleMeter: { afterSeconds: 2, fallbackAmps: FALLBACK_AMPS } },
      },
      [
        // The grid meter sees everything; the garage's meter (an EM24 on its own port) only the garage.
        {
          meterId: 'grid',
          role: 'grid',
          model: 'eastron-sdm630',
          amps: (draw) => mainLoad + garageLoad + draw('CP-1') + draw('CP-2'),
        },
        {
          meterId: 'garage',
          role: 'sub-distribution',
          model: 'carlo-gavazzi-em24',
          amps: (draw) => garageLoad + draw('CP-2'),
        },
      ],
    );
    onMain = await edge.charging('CP-1');
    inGarage = await edge.charging('CP-2');
    await edge.events.until(
      'both cars share the 48 A budget',
      () => onMain.offeredAmps === 24 && inGarage.offeredAmps === 24,
    );
  });

  afterEach(async () => {
    await edge.close();
  });

  const garageCircuit = () => edge.events.latest?.circuits.find((c) => c.id === 'garage');

  it('should cut only the car in the garage when the garage load rises, and give the freed budget to the other car', async () => {
    // Act: 32 A garage fuse, 20 A other load, 2 A margin and 0.05 A of band for the car's samples: 9.9 A left for the
    // garage's car
    garageLoad = 20;
    await edge.events.until(
      'garage car cut to its headroom, the other car raised',
      () => inGarage.offeredAmps === 9.9 && onMain.offeredAmps === 32,
      5_000,
    );

    // Assert
    expect(garageCircuit()).toMatchObject({ meter: 'ok' });
    expect(garageCircuit()?.limitAmps.map((a) => Math.round(a * 100) / 100)).toEqual([9.95, 9.95, 9.95]);
    expect(garageCircuit()?.otherLoadAmps?.map(Math.round)).toEqual([20, 20, 20]);
    expect(edge.events.latest?.circuits.find((c) => c.id === 'main')).toMatchObject({ meter: 'ok' });
  });

  it('should put only the garage on its fallback when its meter dies, show the fault on the dashboard, and recover', async () => {
    // Arrange
    garageLoad = 20;
    await edge.events.until(
      'garage car at its headroom',
      () => inGarage.offeredAmps === 9.9 && onMain.offeredAmps === 32,
      5_000,
    );

    // Act 1: the garage meter loses power (a slow start may have reported it lost once before its first reading)
    const stoppedAt = Date.now();
    await edge.meters.get('garage')!.stop();
    await edge.events.until('garage meter lost', () => edge.events.of('meterLost', stoppedAt).length > 0, 5_000);
    await edge.events.until('garage car on the fallback', () => inGarage.offeredAmps === FALLBACK_AMPS, 3_000);
    const during = edge.events.latest!;
    const health = await edge.meterHealth('garage');
    const faultLines = (await edge.monitoring()).events.filter(
      (e) => e.source === 'garage' && e.severity === 'error' && e.at >= stoppedAt,
    );

    // Act 2: it comes back
    await edge.meters.get('garage')!.start();
    await edge.events.until(
      'garage meter recovered',
      () => edge.events.of('meterRecovered', stoppedAt).length > 0,
      5_000,
    );
    await edge.events.until('garage car back at its headroom', () => inGarage.offeredAmps === 9.9, 5_000);

    // Assert
    expect(edge.events.of('meterLost', stoppedAt)).toMatchObject([{ meterId: 'garage', circuitId: 'garage' }]);
    expect(during.circuits.find((c) => c.id === 'garage')).toMatchObject({
      meter: 'lost',
      limitAmps: [FALLBACK_AMPS, FALLBACK_AMPS, FALLBACK_AMPS],
    });
    expect(during.circuits.find((c) => c.id === 'main')).toMatchObject({ meter: 'ok' });
    expect(during.connectors.find((c) => c.ref === 'CP-2/1')).toMatchObject({
      activity: 'active',
      amps: FALLBACK_AMPS,
    });
    expect(during.connectors.find((c) => c.ref === 'CP-1/1')).toMatchObject({ activity: 'active', amps: 32 });
    expect(health).toMatchObject({ id: 'garage', circuitId: 'garage', state: 'fault' });
    expect(health?.fault?.reason).toMatch(/^meterFault\.(timeout|linkLost|disconnected|connectRefused|connectFailed)$/);
    expect(faultLines.map((e) => e.message)).toEqual([
      expect.stringMatching(/^lost \(.+\): circuit garage runs on the fail-safe budget$/),
    ]);
    expect(inGarage.transactionId).toBeDefined();
    expect(await edge.meterHealth('garage')).toMatchObject({ state: 'ok', fault: null });
  });
});
