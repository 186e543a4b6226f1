/**
 * Findings of the closed-loop property tests run with random seeds (`CLOSED_LOOP_SEED=random CLOSED_LOOP_RUNS=2000`),
 * each as the shrunk scenario fast-check printed: the real controller, allocator and dispatcher against the plant.
 */
import { describe, expect, it } from 'vitest';
import type { ControlEvent } from '../../../../edge/control/control-events';
import type { PlantScenarioInput } from '../../../../sim/closed-loop/plant-scenario';
import { runClosedLoop } from '../../../support/closed-loop';

const ONE_PHASE = { phases: 1, maxAmps: 16 } as const;
type Policy = PlantScenarioInput['policy'];
const policy = (fuseAmps: number, extra: Partial<Policy> = {}): Policy => ({
  $schemaVersion: 1,
  budget: { unit: 'A', min: 0, max: fuseAmps },
  control: { mode: 'dynamic', safetyMarginAmps: 1, staleMeter: { afterSeconds: 5, fallbackAmps: fuseAmps - 7 } },
  closedLoop: { enabled: false },
  failSafe: { connectorAmps: 6 },
  hysteresis: { stepAmps: 0.5, minPauseSeconds: 0, minActiveSeconds: 0 },
  granularityAmps: 0.1,
  rotation: { intervalSeconds: 0 },
  ...extra,
});
type Car = NonNullable<PlantScenarioInput['cars']>[number];
const car = (ref: string, extra: Partial<Car> = {}): Car => ({
  ref,
  arriveSeconds: 0,
  maxAmps: 6,
  phases: 1,
  delaySeconds: 0,
  rampSeconds: 0.5,
  startSeconds: 1,
  ...extra,
});

/** The widest phase imbalance of the allocations sent while every charger was under control. */
function maxSpread(events: readonly ControlEvent[]): number {
  const spreads = events.flatMap((e) => {
    if (e.type !== 'allocation' || e.allocation.connectors.some((a) => a.reason === 'unconfigured')) return [];
    const totals = [0, 1, 2].map((p) => e.allocation.connectors.reduce((sum, a) => sum + a.phaseAmps[p as 0], 0));
    return [Math.round((Math.max(...totals) - Math.min(...totals)) * 10) / 10];
  });
  expect(spreads.length).toBeGreaterThan(20);
  return Math.max(...spreads);
}

describe('closed loop: findings of random seeds', () => {
  it('should not score the float error of adding currents as an overload: three cars at 9.4, 9.3 and 9.3 A on 28 A (seed 552807649)', async () => {
    // Arrange: static mode, the three shares fill the 28 A fuse exactly; the cars take them (10 A each at most)
    const scenario: PlantScenarioInput = {
      site: {
        $schemaVersion: 1,
        id: 'site',
        circuits: [{ id: 'grid', parent: null, fuseAmps: 28 }],
        chargers: ['CP-1', 'CP-2', 'CP-3'].map((id) => ({
          id,
          circuit: 'grid',
          phaseRotation: 'L1L2L3',
          ...ONE_PHASE,
        })),
      },
      policy: { ...policy(29), control: { mode: 'static' } },
      durationSeconds: 30,
      meter: { pollSeconds: 1, noiseAmps: 0 },
      chargers: { meterValuesSeconds: 1, answerMs: 100, bootAnsweredAtOnce: true, noiseAmps: 0 },
      cars: ['CP-1/1', 'CP-2/1', 'CP-3/1'].map((ref) => car(ref, { maxAmps: 10 })),
    };

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: the fuse is full (28.000000000000004 A as floats add up), not over
    expect(quality.deliveredAmpSeconds).toBeGreaterThan(28 * 25);
    expect(quality.controllerOverloadAmpSeconds).toBe(0);
    expect(quality.totalOverloadAmpSeconds).toBe(0);
  });

  it('should stop changing limits once the load is steady, a car that started late capped from its samples after its ramp (seed -1435601620)', async () => {
    // Arrange: a car that takes 6 A plugs in at 15 s and starts drawing 4 s later, beside two cars that share a row
    const scenario: PlantScenarioInput = {
      site: {
        $schemaVersion: 1,
        id: 'site',
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 46, meterId: 'grid-meter' },
          { id: 'row', parent: 'grid', fuseAmps: 31 },
        ],
        chargers: [
          { id: 'CP-1', circuit: 'row', phases: 3, phaseRotation: 'L1L2L3', maxAmps: 16 },
          { id: 'CP-2', circuit: 'grid', phases: 1, phaseRotation: 'L2L1L3', maxAmps: 16 },
          { id: 'CP-3', circuit: 'row', phases: 1, phaseRotation: 'L2L3L1', maxAmps: 25 },
        ],
      },
      policy: { ...policy(46), closedLoop: { enabled: true }, granularityAmps: 0.5 },
      durationSeconds: 300,
      meter: { pollSeconds: 1, noiseAmps: 0.25 },
      chargers: { meterValuesSeconds: 10, answerMs: 100, bootAnsweredAtOnce: true, noiseAmps: 0.25 },
      building: [{ atSeconds: 0, amps: [0, 0, 0] }],
      cars: [
        car('CP-3/1', { maxAmps: 16, startSeconds: 2 }),
        car('CP-2/1', { arriveSeconds: 15, delaySeconds: 0.5, rampSeconds: 1, startSeconds: 4 }),
        car('CP-1/1', { arriveSeconds: 10, maxAmps: 14, phases: 3, rampSeconds: 4, startSeconds: 5 }),
      ],
      seed: 2_068_052_105,
    };

    // Act
    const { events, clock } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: no change in the last 150 s (before: CP-2's cap released at 150 s, 8 changes)
    const settledFrom = clock.now() - 150_000;
    const changes = events.filter((e) => e.type === 'profileAccepted' && e.change !== 'renewal' && e.at >= settledFrom);
    expect(changes).toEqual([]);
  });

  it('should start no car on a rebooted charger with the answer to the boot before its restart (seed 995245283)', async () => {
    // Arrange: a new charger connects at 0 s (its boot configuration takes 20 s) and its car waits for the boot's
    // answer; it restarts at 5 s and is back at 15 s, when the first boot's answer would come (after 15 s at most)
    const scenario: PlantScenarioInput = {
      site: {
        $schemaVersion: 1,
        id: 'site',
        circuits: [{ id: 'grid', parent: null, fuseAmps: 29, meterId: 'grid-meter' }],
        chargers: ['CP-1', 'CP-2'].map((id) => ({ id, circuit: 'grid', phaseRotation: 'L1L2L3', ...ONE_PHASE })),
      },
      policy: policy(29),
      durationSeconds: 60,
      meter: { pollSeconds: 1, noiseAmps: 0 },
      chargers: {
        meterValuesSeconds: 1,
        answerMs: 100,
        bootConfigurationMs: 20_000,
        bootAnsweredAtOnce: false,
        noiseAmps: 0,
      },
      building: [{ atSeconds: 0, amps: [0, 0, 0] }],
      cars: [car('CP-1/1')],
      unconfigured: ['CP-1'],
      reboots: [{ chargerId: 'CP-1', atSeconds: 5, downSeconds: 10 }],
    };

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: before, the car started at the charger's maximum as it came back, and the first idle hold stopped it
    expect(quality.unneededPauseStarts).toBe(0);
    expect(quality.controllerOverloadAmpSeconds).toBe(0);
    expect(quality.deliveredAmpSeconds).toBeGreaterThan(0);
  });

  it("should count a lease's tail as what the charger holds once it ran out, so a raise from it waits for the others' cuts (seed -1011707122)", async () => {
    // Arrange: a new charger's lease (16 A, its tail the 6 A fail-safe) is accepted just before its fail-safe default
    // is confirmed; it drops out at 17 s, the lease runs out at 120 s (its car goes down to the tail), and it is back at
    // 129 s, when the three cars beside it on L3 hold 16 A and must be cut for it
    const scenario: PlantScenarioInput = {
      site: {
        $schemaVersion: 1,
        id: 'site',
        circuits: [{ id: 'grid', parent: null, fuseAmps: 57, meterId: 'grid-meter' }],
        chargers: [
          { id: 'CP-1', circuit: 'grid', phaseRotation: 'L3L2L1', ...ONE_PHASE },
          { id: 'CP-2', circuit: 'grid', phaseRotation: 'L3L1L2', ...ONE_PHASE },
          { id: 'CP-3', circuit: 'grid', phases: 3, phaseRotation: 'L1L2L3', maxAmps: 16 },
          { id: 'CP-4', circuit: 'grid', phaseRotation: 'L1L2L3', ...ONE_PHASE },
          { id: 'CP-5', circuit: 'grid', phaseRotation: 'L3L2L1', ...ONE_PHASE },
        ],
      },
      policy: policy(57),
      durationSeconds: 180,
      meter: { pollSeconds: 1, noiseAmps: 0 },
      chargers: { meterValuesSeconds: 1, answerMs: 100, bootAnsweredAtOnce: true, noiseAmps: 0 },
      building: [{ atSeconds: 0, amps: [0, 0, 0] }],
      cars: [
        car('CP-1/1', { maxAmps: 12 }),
        car('CP-5/1', { maxAmps: 14 }),
        car('CP-2/1', { maxAmps: 16, rampSeconds: 4 }),
        { ref: 'CP-3/1', arriveSeconds: 17, startSeconds: 1 },
      ],
      dropouts: [{ chargerId: 'CP-1', fromSeconds: 17, toSeconds: 129 }],
      unconfigured: ['CP-1'],
    };

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: before, CP-1 was taken to hold its maximum after the lease (16 A), its raise from 6 to 14 A passed the
    // gate as a cut, and L3 drew 57.3 A on the 57 A fuse while the others still followed theirs
    expect(quality.controllerOverloadAmpSeconds).toBe(0);
    expect(quality.inForceExcessAmpSeconds).toBe(0);
  });

  it('should keep the phase-imbalance limit when the gate holds a raise beside a fall hysteresis held on another phase (seed -1942631419)', async () => {
    // Arrange: 1-phase cars on two 3-phase chargers (one under a 16 A row) and on two 1-phase ones, L2 and L3 (row);
    // as the phase counts are learnt, hysteresis holds the L1 car's fall while the gate holds the L3 car's raise
    const scenario: PlantScenarioInput = {
      site: {
        $schemaVersion: 1,
        id: 'site',
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 31, meterId: 'grid-meter' },
          { id: 'row', parent: 'grid', fuseAmps: 16 },
        ],
        chargers: [
          { id: 'CP-1', circuit: 'row', phases: 3, phaseRotation: 'L1L2L3', maxAmps: 16 },
          { id: 'CP-2', circuit: 'grid', phaseRotation: 'L2L1L3', ...ONE_PHASE },
          { id: 'CP-3', circuit: 'grid', phases: 3, phaseRotation: 'L1L2L3', maxAmps: 16 },
          { id: 'CP-4', circuit: 'row', phaseRotation: 'L3L1L2', ...ONE_PHASE },
        ],
      },
      policy: policy(31, { phaseImbalance: { maxAmps: 6 } }),
      durationSeconds: 60,
      meter: { pollSeconds: 1, noiseAmps: 0 },
      chargers: { meterValuesSeconds: 1, answerMs: 100, bootAnsweredAtOnce: true, noiseAmps: 0 },
      building: [{ atSeconds: 0, amps: [0, 0, 0] }],
      cars: [car('CP-3/1'), car('CP-4/1'), car('CP-2/1'), car('CP-1/1')],
    };

    // Act
    const { events } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: before, 13.8 A held on L1 beside 6 A on L3 (7.8 A apart)
    expect(maxSpread(events)).toBeLessThanOrEqual(6);
  });

  it('should keep the phase-imbalance limit when the raise gate holds back a raise on one phase and lets the others through (seed -35617929)', async () => {
    // Arrange: a 1-phase car on L3 of a 16 A row beside a 3-phase car, 1-phase cars on L1 and L2 of the grid. When a
    // car plugs in on L2, the 3-phase car is cut and the L3 car's raise waits for that cut; the L1 and L2 cars rose.
    const scenario: PlantScenarioInput = {
      site: {
        $schemaVersion: 1,
        id: 'site',
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 47, meterId: 'grid-meter' },
          { id: 'row', parent: 'grid', fuseAmps: 16 },
        ],
        chargers: [
          { id: 'CP-1', circuit: 'grid', phaseRotation: 'L1L2L3', ...ONE_PHASE },
          { id: 'CP-2', circuit: 'row', phases: 3, phaseRotation: 'L1L2L3', maxAmps: 16 },
          { id: 'CP-3', circuit: 'row', phaseRotation: 'L3L2L1', ...ONE_PHASE },
          { id: 'CP-4', circuit: 'grid', phaseRotation: 'L2L3L1', ...ONE_PHASE },
          { id: 'CP-5', circuit: 'grid', phaseRotation: 'L1L2L3', ...ONE_PHASE },
        ],
      },
      policy: policy(47, { phaseImbalance: { maxAmps: 6 } }),
      durationSeconds: 60,
      meter: { pollSeconds: 1, noiseAmps: 0 },
      chargers: { meterValuesSeconds: 1, answerMs: 100, bootAnsweredAtOnce: true, noiseAmps: 0 },
      building: [{ atSeconds: 0, amps: [0, 0, 0] }],
      cars: [
        car('CP-3/1'),
        car('CP-2/1', { phases: 3 }),
        car('CP-1/1'),
        { ref: 'CP-4/1', arriveSeconds: 8, startSeconds: 1 },
      ],
      reboots: [{ chargerId: 'CP-4', atSeconds: 5, downSeconds: 1 }],
    };

    // Act
    const { events } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: every allocation sent with every charger under control
    expect(maxSpread(events)).toBeLessThanOrEqual(6);
  });
});
