/**
 * Reservations as closed-loop scenarios in virtual time: what a charger we do not control right now (offline, or gone
 * with its lease running) may still draw stays reserved, so no car plugged in unseen takes a fuse over.
 */
import { describe, expect, it } from 'vitest';
import { runClosedLoop } from '../../../support/closed-loop';
import { expectNoOverload } from '../../../support/closed-loop-expectations';
import { carsOnEach, staticPlant } from '../../../support/plant-sites';

/** `n` 1-phase chargers on L1 of a 12 A fuse, one of them offline from 30 s to `offline.toSeconds`. */
const offlineOnOnePhase = (
  n: number,
  cars: { ref: string; arriveSeconds: number; leaveSeconds?: number }[],
  offline: { chargerId: string; toSeconds: number },
) => ({
  ...staticPlant(n, 12, { phases: 1, rotate: false }),
  durationSeconds: 200,
  chargers: { meterValuesSeconds: 10 },
  cars,
  dropouts: [{ ...offline, fromSeconds: 30 }],
});

describe('closed loop: reserve what is in force at chargers we do not control', () => {
  it('should keep what a dropped charger still enforces reserved, so the others never get its lease on top', async () => {
    // Arrange: a 32 A static budget shared by two cars; CP-1 drops for a minute with its 16 A lease running
    const scenario = {
      ...staticPlant(2, 32),
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
    const scenario = offlineOnOnePhase(
      2,
      [
        { ref: 'CP-1/1', arriveSeconds: 1 },
        { ref: 'CP-2/1', arriveSeconds: 60 },
      ],
      { chargerId: 'CP-2', toSeconds: 120 },
    );

    // Act
    const { quality } = await runClosedLoop(scenario);

    // Assert
    expectNoOverload(quality);
  });

  it('should keep a dropped charger default reserved on the phases its 1-phase car leaves free, since that car may leave and a 3-phase one plug in (found by the property test)', async () => {
    // Arrange: a 32 A budget; CP-1 (3-phase) charges a 1-phase car on L1, CP-2 (1-phase, on L2) takes all of L2. CP-1
    // drops off and its car leaves unseen: its 6 A default holds again on L1, L2 and L3
    const plant = staticPlant(2, 32);
    const scenario = {
      ...plant,
      site: {
        ...plant.site,
        chargers: [
          { id: 'CP-1', circuit: 'grid', phases: 3 as const, phaseRotation: 'L1L2L3' as const, maxAmps: 32 },
          { id: 'CP-2', circuit: 'grid', phases: 1 as const, phaseRotation: 'L2L3L1' as const, maxAmps: 32 },
        ],
      },
      durationSeconds: 200,
      chargers: { meterValuesSeconds: 10 },
      cars: [
        { ref: 'CP-1/1', arriveSeconds: 1, phases: 1 as const, leaveSeconds: 60 },
        { ref: 'CP-2/1', arriveSeconds: 5 },
      ],
      dropouts: [{ chargerId: 'CP-1', fromSeconds: 30, toSeconds: 150 }],
    };

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert
    expectNoOverload(quality);
  });

  it('should keep a dropped charger default reserved while its car is paused, since another car may plug in unseen', async () => {
    // Arrange: three 1-phase chargers on L1 of a 12 A budget: two cars charge at 6 A, CP-1's is paused. CP-1 drops
    // off, its car leaves and another plugs in, which its charger's 6 A default lets charge at once
    const scenario = offlineOnOnePhase(
      3,
      [
        { ref: 'CP-2/1', arriveSeconds: 1 },
        { ref: 'CP-3/1', arriveSeconds: 5 },
        { ref: 'CP-1/1', arriveSeconds: 10, leaveSeconds: 60 },
        { ref: 'CP-1/1', arriveSeconds: 70 },
      ],
      { chargerId: 'CP-1', toSeconds: 150 },
    );

    // Act
    const { quality, events } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert
    const paused = events.find(
      (e) => e.type === 'profileAccepted' && e.chargerId === 'CP-1' && e.amps === 0 && e.at < 30_000 + events[0]!.at,
    );
    expect(paused).toBeDefined();
    expectNoOverload(quality);
  });

  it.each([
    [true, 0],
    [false, 6],
  ])(
    'should keep an idle charger that drops off after another from adding its default on top of that one lease (idle hold taken: %s)',
    async (idleHold, overAmps) => {
      // Arrange: three 1-phase chargers on a 24 A budget. CP-1's car takes it all; CP-1 drops off with its 24 A lease
      // running, then CP-2 (no car) drops off and a car plugs into it while both are offline
      const scenario = {
        ...staticPlant(3, 24, { phases: 1, rotate: false }),
        durationSeconds: 400,
        chargers: { meterValuesSeconds: 10, idleHold },
        cars: [
          { ref: 'CP-1/1', arriveSeconds: 1 },
          { ref: 'CP-2/1', arriveSeconds: 50 },
        ],
        dropouts: [
          { chargerId: 'CP-1', fromSeconds: 30, toSeconds: 380 },
          { chargerId: 'CP-2', fromSeconds: 40, toSeconds: 380 },
        ],
      };

      // Act
      const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

      // Assert: with the hold, CP-2's car waits until CP-1's lease has ended; a charger that refuses it keeps the gap
      expect(quality.inForceExcessPeakAmps).toBeCloseTo(overAmps, 3);
      if (idleHold) expect(quality.totalOverloadAmpSeconds).toBe(0);
      else expect(quality.totalOverloadAmpSeconds).toBeGreaterThan(0);
    },
  );
});
