import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../sim/charger/sim-clock';
import { CarDraw } from '../../../../sim/closed-loop/car-response';
import type { PlantEvent } from '../../../../sim/closed-loop/plant-messages';
import { PlantScenarioSchema, type PlantScenarioInput } from '../../../../sim/closed-loop/plant-scenario';
import { SitePlant } from '../../../../sim/closed-loop/site-plant';
import { plantSite } from '../../../support/plant-sites';

function startPlant(input: Partial<PlantScenarioInput>) {
  const clock = new ManualClock();
  const scenario = PlantScenarioSchema.parse({
    site: plantSite(2, { fuseAmps: 63 }),
    policy: { $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 63 } },
    durationSeconds: 600,
    ...input,
  });
  const plant = new SitePlant(scenario, clock);
  const events: PlantEvent[] = [];
  plant.start((e) => events.push(e));
  return { clock, plant, events };
}

describe('CarDraw', () => {
  it('should hold its draw through the delay, then ramp linearly to the new target', () => {
    // Arrange
    const car = new CarDraw({ delaySeconds: 1, rampSeconds: 2 });
    car.follow(0, 16);
    const settled = car.at(3_000);

    // Act
    car.follow(10_000, 8);

    // Assert
    expect(settled).toBe(16);
    expect([car.at(10_500), car.at(12_000), car.at(13_000)]).toEqual([16, 12, 8]);
  });

  it('should be under every cut by its own deadline while further cuts keep coming (IEC 61851: 5 s each)', () => {
    // Arrange: cut from 16 A every 0.4 s, each 0.5 A lower: each cut restarting the reaction delay froze the car at
    // 16 A for as long as the cuts came
    const car = new CarDraw({ delaySeconds: 0.5, rampSeconds: 4.5 });
    car.follow(0, 16);
    const late: string[] = [];

    // Act
    for (let k = 0; k < 20; k++) {
      const at = 10_000 + k * 400;
      car.follow(at, 15.5 - k * 0.5);
      for (let j = 0; j <= k; j++) {
        const deadline = 10_000 + j * 400 + 5_000;
        if (deadline <= at && car.at(at) > 15.5 - j * 0.5 + 1e-9) late.push(`cut ${j} at ${at} ms`);
      }
    }

    // Assert
    expect(late).toEqual([]);
    expect(car.at(10_000 + 19 * 400 + 5_000)).toBe(6);
  });

  it('should be under the highest limit since a cut by its deadline while raises after it keep coming', () => {
    // Arrange: a car at 16 A cut to 6 A, then raised a step every 0.7 s up to 15 A (the raise gate's steps). Each raise
    // restarting the car's delay left it at 16 A for over 5 s after the cut (seed -232024248)
    const car = new CarDraw({ delaySeconds: 1, rampSeconds: 4 });
    car.follow(0, 16);
    car.follow(10_000, 6);

    // Act
    for (let k = 1; k <= 9; k++) car.follow(10_000 + k * 700, 6 + k);

    // Assert: 15 A by the cut's own deadline, and the last raise holds after it
    expect(car.at(15_000)).toBeLessThanOrEqual(15);
    expect(car.at(30_000)).toBe(15);
  });

  it('should follow a raise after a cut without the cut still holding it down', () => {
    // Arrange
    const car = new CarDraw({ delaySeconds: 0.5, rampSeconds: 4.5 });
    car.follow(0, 16);
    car.follow(10_000, 8);

    // Act
    car.follow(11_000, 12);

    // Assert: the raise ramps from where the cut had taken the car, up to 12 A
    expect(car.at(20_000)).toBe(12);
  });
});

describe('SitePlant', () => {
  it('should read building load plus the cars real draw at the meter', () => {
    // Arrange: 10 A of building load, a 3-phase car on CP-1 that starts 1 s after plug-in, fail-safe 6 A
    const { clock, events } = startPlant({
      building: [{ atSeconds: 0, amps: 10 }],
      cars: [{ ref: 'CP-1/1', arriveSeconds: 0, startSeconds: 1, delaySeconds: 0, rampSeconds: 0 }],
    });

    // Act
    clock.advance(5_000);

    // Assert
    const meter = events.filter((e): e is Extract<PlantEvent, { kind: 'meter' }> => e.kind === 'meter').at(-1)!;
    expect(meter.amps).toEqual([16, 16, 16]);
  });

  it('should keep an accepted lease in force while its charger is offline, until the lease runs out', async () => {
    // Arrange
    const { clock, plant } = startPlant({
      cars: [{ ref: 'CP-1/1', arriveSeconds: 0, startSeconds: 0, delaySeconds: 0, rampSeconds: 0 }],
      dropouts: [{ chargerId: 'CP-1', fromSeconds: 5, toSeconds: 100 }],
    });
    clock.advance(1_000);
    const answer = plant.sendLease('CP-1', {
      connectorId: 1,
      transactionId: 1,
      amps: 20,
      validTo: clock.now() + 30_000,
    });
    clock.advance(1_000);
    const accepted = await answer;

    // Act
    clock.advance(10_000);
    const offline = plant.sessions()[0]!;
    clock.advance(30_000);

    // Assert
    expect(accepted).toBe('accepted');
    expect(offline).toMatchObject({ online: false, inForceAmps: 20, drawAmps: 20 });
    expect(plant.sessions()[0]).toMatchObject({ inForceAmps: 6, drawAmps: 6 });
  });

  it('should queue the transaction of a car plugged in while its charger is offline and replay it on reconnect', () => {
    // Arrange
    const { clock, events } = startPlant({
      cars: [{ ref: 'CP-2/1', arriveSeconds: 10 }],
      dropouts: [{ chargerId: 'CP-2', fromSeconds: 5, toSeconds: 20 }],
    });

    // Act
    clock.advance(15_000);
    const whileOffline = events.filter((e) => e.kind === 'started').length;
    clock.advance(10_000);

    // Assert
    expect(whileOffline).toBe(0);
    const kinds = events
      .filter((e) => 'chargerId' in e && e.chargerId === 'CP-2' && e.kind !== 'meterValues')
      .map((e) => e.kind);
    expect(kinds).toEqual(['connected', 'status', 'disconnected', 'connected', 'status', 'started']);
  });

  it('should stop a car drawing once it has taken the energy it needs, and report it SuspendedEV', () => {
    // Arrange: a 3-phase car at its 6 A fail-safe draws 6 A x 3 x 230 V = 4140 W: 23 Wh take 20 s
    const { clock, plant, events } = startPlant({
      cars: [{ ref: 'CP-1/1', arriveSeconds: 0, startSeconds: 0, delaySeconds: 0, rampSeconds: 0, needWh: 23 }],
    });

    // Act: the runner adds the energy up every step
    for (let k = 0; k < 30; k++) {
      clock.advance(1_000);
      plant.integrateEnergy();
    }

    // Assert
    const session = plant.sessions()[0]!;
    expect(session).toMatchObject({ drawing: false, drawAmps: 0 });
    expect(session.energyWh).toBeGreaterThanOrEqual(23);
    expect(session.energyWh).toBeLessThan(23 + 4140 / 3600);
    expect(events.filter((e) => e.kind === 'status').map((e) => e.status)).toContain('SuspendedEV');
  });

  it('should refuse a car whose delay and ramp exceed the 5 s IEC 61851 gives it', () => {
    expect(() =>
      PlantScenarioSchema.parse({
        site: plantSite(1),
        policy: { $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 32 } },
        durationSeconds: 10,
        cars: [{ ref: 'CP-1/1', arriveSeconds: 0, delaySeconds: 2, rampSeconds: 4 }],
      }),
    ).toThrow(/at most 5 s/);
  });
});
