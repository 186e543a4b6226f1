import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VirtualCharger } from '../../../sim/charger/virtual-charger';
import { startMeteredEdge, type MeteredEdge } from './support/metered-edge';

describe('edge agent on a site with a PV inverter', () => {
  let edge: MeteredEdge;
  let building = 2;
  let pvAmps = 58;
  const cars: VirtualCharger[] = [];

  beforeEach(async () => {
    building = 2;
    pvAmps = 58;
    cars.length = 0;
    edge = await startMeteredEdge(
      {
        $schemaVersion: 1,
        id: 'pv-site',
        circuits: [
          { id: 'main', parent: null, fuseAmps: 63, meterId: 'grid' },
          // The inverter's own branch: its meter counts production as export, and no charger hangs on it.
          { id: 'roof', parent: 'main', fuseAmps: 63, meterId: 'pv' },
        ],
        chargers: [
          { id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 32 },
          { id: 'CP-2', circuit: 'main', phases: 3, maxAmps: 32 },
        ],
      },
      { control: { mode: 'dynamic', safetyMarginAmps: 3, staleMeter: { afterSeconds: 2, fallbackAmps: 16 } } },
      [
        // Signed net current at the grid connection: building and cars import, the inverter exports.
        {
          meterId: 'grid',
          role: 'grid',
          model: 'eastron-sdm630',
          amps: (draw) => building + draw('CP-1') + draw('CP-2') - pvAmps,
        },
        { meterId: 'pv', role: 'pv-inverter', model: 'carlo-gavazzi-em24', amps: () => -pvAmps },
      ],
    );
  });

  afterEach(async () => {
    await edge.close();
  });

  const circuit = (id: string) => edge.events.latest?.circuits.find((c) => c.id === id);

  it('should let the cars use the PV surplus while the site exports, then cut them to the fuse when the sun goes', async () => {
    // Arrange: 58 A exported at a 63 A connection; read as load, it would leave 2 A, too little to start a car
    await edge.events.until(
      'both meters read',
      () => circuit('main')?.meter === 'ok' && circuit('roof')?.meter === 'ok',
    );

    // Act 1: two cars arrive while the sun shines
    cars.push(await edge.charging('CP-1'), await edge.charging('CP-2'));
    await edge.events.until('both cars at their budget share', () => cars.every((c) => c.offeredAmps === 24), 5_000);
    const sunny = edge.events.latest!;

    // Act 2: a cloud, and the building draws 30 A: 63 - 30 - 3 = 30 A for the two cars, less the 0.1 A band their
    // samples take in the estimate (0.05 A per car phase)
    pvAmps = 0;
    building = 30;
    const cut = () => cars.map((c) => c.offeredAmps).sort((a, b) => a - b);
    await edge.events.until('cars cut to the fuse headroom', () => cut().join() === '14.9,15', 5_000);

    // Assert
    expect(sunny.circuits.find((c) => c.id === 'main')).toMatchObject({
      meter: 'ok',
      otherLoadAmps: [0, 0, 0],
      limitAmps: [59.9, 59.9, 59.9],
    });
    expect(sunny.circuits.find((c) => c.id === 'roof')).toMatchObject({ meter: 'ok', otherLoadAmps: [0, 0, 0] });
    expect(sunny.connectors.map((c) => [c.ref, c.activity, c.amps])).toEqual([
      ['CP-1/1', 'active', 24],
      ['CP-2/1', 'active', 24],
    ]);
    // The cut can land on an estimate still on its way up (a meter gap restarts it from its low end, raises being
    // capped by the safe estimate meanwhile): the held estimate reaches the building's 30 A within rounds.
    await expect.poll(() => circuit('main')?.otherLoadAmps?.map(Math.round), { timeout: 3_000 }).toEqual([30, 30, 30]);
    expect(cut()).toEqual([14.9, 15]);
  });

  it('should report a lost PV meter without touching the cars, which the grid meter protects', async () => {
    // Arrange
    cars.push(await edge.charging('CP-1'), await edge.charging('CP-2'));
    await edge.events.until('both cars at their budget share', () => cars.every((c) => c.offeredAmps === 24), 5_000);

    // Act
    const stoppedAt = Date.now();
    await edge.meters.get('pv')!.stop();
    await edge.events.until('PV meter lost', () => edge.events.of('meterLost', stoppedAt).length > 0, 5_000);

    // Assert
    expect(edge.events.of('meterLost', stoppedAt)).toMatchObject([{ meterId: 'pv', circuitId: 'roof' }]);
    expect(circuit('main')).toMatchObject({ meter: 'ok' });
    expect(edge.events.latest?.connectors.map((c) => c.amps)).toEqual([24, 24]);
    // The staleness deadline can report the loss before the driver's first failed poll has timed out: wait for it.
    await expect
      .poll(() => edge.meterHealth('pv'), { timeout: 3_000 })
      .toMatchObject({ circuitId: 'roof', state: 'fault' });
  });
});
