/**
 * The control loop's findings, each as a closed-loop scenario in virtual time: the real controller, allocator and
 * dispatcher against a site whose meter sees building load plus the cars' real draw.
 */
import { describe, expect, it } from 'vitest';
import { runClosedLoop } from '../../../support/closed-loop';
import { carsOnEach, dynamicPolicy, plantSite } from '../../../support/plant-sites';

const fourCars = (meterValuesSeconds: number, building: { atSeconds: number; amps: number }[], rampSeconds = 1) => ({
  site: plantSite(4, { fuseAmps: 63 }),
  policy: dynamicPolicy(63),
  durationSeconds: 600,
  chargers: { meterValuesSeconds },
  building,
  cars: carsOnEach(4, 5, { rampSeconds }),
});

describe('closed loop: never the cause of an overload', () => {
  it.each([1, 10, 60])('should never raise a car into an overload when charger samples come every %i s and building load steps', async (meterValuesSeconds) => {
    // Arrange: building load 10 A, then steps that force cuts and pauses, then falls again (raises, resumes)
    const scenario = fourCars(meterValuesSeconds, [
      { atSeconds: 0, amps: 10 },
      { atSeconds: 120, amps: 30 },
      { atSeconds: 240, amps: 45 },
      { atSeconds: 360, amps: 10 },
      { atSeconds: 480, amps: 30 },
    ]);

    // Act
    const { quality } = await runClosedLoop(scenario);

    // Assert
    expect(quality.controllerOverloadPeakAmps).toBe(0);
    expect(quality.controllerOverloadAmpSeconds).toBe(0);
    expect(quality.inForceExcessAmpSeconds).toBe(0);
  });

  it('should keep what a dropped charger still enforces reserved, so the others never get its lease on top', async () => {
    // Arrange: a 32 A static budget shared by two cars; CP-1 drops for a minute with its 16 A lease running
    const scenario = {
      site: plantSite(2, { fuseAmps: 32, metered: false }),
      policy: { $schemaVersion: 1 as const, budget: { unit: 'A' as const, min: 0, max: 32 } },
      durationSeconds: 300,
      chargers: { meterValuesSeconds: 10 },
      cars: carsOnEach(2, 5),
      dropouts: [{ chargerId: 'CP-1', fromSeconds: 60, toSeconds: 120 }],
    };

    // Act
    const { quality } = await runClosedLoop(scenario);

    // Assert
    expect(quality.inForceExcessPeakAmps).toBe(0);
    expect(quality.controllerOverloadAmpSeconds).toBe(0);
  });

  it('should keep an offline charger fail-safe reserved, so a car plugged in while it is offline cannot overload the fuse', async () => {
    // Arrange: a 12 A fuse; CP-2 is offline when a car plugs into it and charges at the 6 A fail-safe
    const scenario = {
      site: plantSite(2, { fuseAmps: 12, metered: false, phases: 1, rotate: false }),
      policy: { $schemaVersion: 1 as const, budget: { unit: 'A' as const, min: 0, max: 12 } },
      durationSeconds: 200,
      chargers: { meterValuesSeconds: 10 },
      cars: [{ ref: 'CP-1/1', arriveSeconds: 1 }, { ref: 'CP-2/1', arriveSeconds: 60 }],
      dropouts: [{ chargerId: 'CP-2', fromSeconds: 30, toSeconds: 120 }],
    };

    // Act
    const { quality } = await runClosedLoop(scenario);

    // Assert
    expect(quality.totalOverloadAmpSeconds).toBe(0);
    expect(quality.inForceExcessPeakAmps).toBe(0);
  });
});

describe('closed loop: calm', () => {
  it.each([1, 10, 60])('should stop changing limits at constant building load with charger samples every %i s', async (meterValuesSeconds) => {
    // Arrange
    const scenario = fourCars(meterValuesSeconds, [{ atSeconds: 0, amps: 10 }]);

    // Act
    const { quality } = await runClosedLoop(scenario);

    // Assert
    expect(quality.settledSeconds).toBeGreaterThan(400);
    expect(quality.settledChangesPerChargerHour).toBe(0);
  });

  it.each([1, 10])('should pause nobody while every car fits at its minimum (charger samples every %i s)', async (meterValuesSeconds) => {
    // Arrange: 30 A of building load leaves 31 A: every car fits at 7.5 A, none at its full share
    const scenario = fourCars(meterValuesSeconds, [{ atSeconds: 0, amps: 10 }, { atSeconds: 150, amps: 30 }], 4.5);

    // Act
    const { quality } = await runClosedLoop(scenario);

    // Assert
    expect(quality.unneededPauseSeconds).toBe(0);
    expect(quality.deliveredAmpSeconds / quality.allowedAmpSeconds).toBeGreaterThan(0.95);
  });

  it('should settle within 5 s of a building-load step', async () => {
    // Arrange
    const scenario = fourCars(1, [{ atSeconds: 0, amps: 10 }, { atSeconds: 200, amps: 25 }, { atSeconds: 400, amps: 5 }]);

    // Act
    const { quality } = await runClosedLoop(scenario);

    // Assert
    expect(quality.settleSeconds.every((s) => s < 5)).toBe(true);
  });
});
