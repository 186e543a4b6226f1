import { describe, expect, it } from 'vitest';
import { siteTopology } from '../../../../shared/allocation/site-topology';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { CarPhases } from '../../../../edge/control/car-phases';
import { DrawHistory } from '../../../../edge/control/draw-history';
import { OtherLoadEstimator } from '../../../../edge/control/other-load';
import { OTHER_LOAD_SETTINGS } from '../../../../edge/control/other-load-settings';
import type { RuntimeSession } from '../../../../edge/control/site-runtime';
import { dynamicPolicy, plantSite } from '../../../support/plant-sites';

const site = SiteSchema.parse(plantSite(1, { fuseAmps: 63, rotate: false }));
const policy = PolicySchema.parse(dynamicPolicy(63));

/** A car offered 16 A that has drawn 10 A per phase since it started. */
function cappedCar(): [string, RuntimeSession] {
  const history = new DrawHistory();
  history.addLimit(0, 16);
  for (let at = 10_000; at <= 40_000; at += 10_000) history.addSample(at, [10, 10, 10]);
  const session = {
    transactionId: 1,
    chargerId: 'CP-1',
    connectorId: 1,
    idTag: 'A',
    startedAt: 0,
    meterStartWh: 0,
    energyWh: 0,
    history,
    phases: new CarPhases(),
  };
  return ['CP-1/1', session];
}

/** A fresh estimator (cars taking 5 s to follow) fed grid-meter readings: call it with a reading's instant and amps. */
function readings(sessions: readonly [string, RuntimeSession][], onSite = site, onPolicy = policy) {
  const estimator = new OtherLoadEstimator(siteTopology(onSite), { ...OTHER_LOAD_SETTINGS, carResponseMs: 5_000 });
  return (t: number, amps: [number, number, number]) =>
    estimator.estimate(() => ({ meterId: 'grid-meter', at: t, amps, valid: true }), sessions, onPolicy, t);
}

/** `n` cars each offered 10 A per phase and drawing it, sampled every 10 s since it started: on CP-1/1 to CP-n/1. */
function carsAtTheirLimit(n: number): [string, RuntimeSession][] {
  return Array.from({ length: n }, (_, i) => {
    const history = new DrawHistory();
    history.addLimit(0, 10);
    for (let at = 10_000; at <= 40_000; at += 10_000) history.addSample(at, [10, 10, 10]);
    const [, session] = cappedCar();
    return [`CP-${i + 1}/1`, { ...session, chargerId: `CP-${i + 1}`, history }];
  });
}

describe('OtherLoadEstimator', () => {
  it('should go back to the level before a rise its own car explained, not keep a smaller rise on another phase', () => {
    // Arrange: 20 A of other load for a minute, then one reading 3 A higher on L1 (the car may draw up to 16 A) and
    // 1 A higher on L2 (less than the noise step), then L1 back
    const sessions = [cappedCar()];
    const at = readings(sessions);
    for (let t = 41_000; t <= 60_000; t += 1_000) at(t, [30, 30, 30]);
    const risen = at(61_000, [33, 31, 30]);

    // Act
    const dropped = at(62_000, [30, 31, 30]);

    // Assert
    expect(risen[0]!.heldAmps).toEqual([23, 20, 20]);
    expect(risen[0]!.confirmAt).toBe(63_000);
    expect(dropped[0]!.heldAmps).toEqual([20, 20, 20]);
    expect(dropped[0]!.confirmAt).toBeUndefined();
  });

  it('should not rise and drop in turn when other load sits right at the noise step above the held level', () => {
    // Arrange: 20 A for a minute, then about 22 A on L1 (the 2 A noise step, read with some noise; the car may draw
    // up to 16 A, so the rise waits to be confirmed)
    const sessions = [cappedCar()];
    const at = readings(sessions);
    for (let t = 41_000; t <= 60_000; t += 1_000) at(t, [30, 30, 30]);

    // Act
    const held = [32.2, 31.9, 32.2, 31.9].map((l1, k) => at(61_000 + k * 1_000, [l1, 30, 30])[0]!.heldAmps[0]);

    // Assert: it rose once and stays
    expect(held.map((a) => Math.round(a * 10) / 10)).toEqual([22.2, 22.2, 22.2, 22.2]);
  });

  it('should take a reading over the fuse at what the cars drew at least, so one cut is enough', () => {
    // Arrange: a car still starting (offered 32 A, its one sample shows 5 A) and a reading of 66 A on a 63 A fuse
    const history = new DrawHistory();
    history.addLimit(0, 32);
    history.addSample(1_000, [5, 5, 5]);
    const sessions: [string, RuntimeSession][] = [['CP-1/1', { ...cappedCar()[1], history }]];

    // Act
    const [estimate] = readings(sessions)(2_000, [66, 66, 66]);

    // Assert: counted at its limit the car would leave 34 A of other load, and the cut would fall 27 A short; it
    // pauses nobody before it lasted (the car may have ramped up since its sample)
    expect(estimate!.heldAmps).toEqual([61, 61, 61]);
    expect(estimate!.confirmedAmps).toEqual([34, 34, 34]);
    expect(estimate!.confirmAt).toBe(3_000);
  });

  it('should not cut again for an overload its cut on the way already answers', () => {
    // Arrange: a car drawing 30 A, 20 A of other load, then other load jumps by 40 A and the car is being cut to 6 A
    const history = new DrawHistory();
    history.addLimit(0, 32);
    for (let at = 10_000; at <= 50_000; at += 10_000) history.addSample(at, [30, 30, 30]);
    const sessions: [string, RuntimeSession][] = [['CP-1/1', { ...cappedCar()[1], history }]];
    const at = readings(sessions);
    for (let t = 41_000; t <= 50_000; t += 1_000) at(t, [50, 50, 50]);
    const jumped = at(51_000, [90, 90, 90]);
    history.addLimit(51_500, 6, false);

    // Act
    const during = at(52_000, [90, 90, 90]);

    // Assert: still 60 A, not 84 A (the car counted at its new limit before it could follow)
    expect(jumped[0]!.heldAmps).toEqual([60, 60, 60]);
    expect(during[0]!.heldAmps).toEqual([60, 60, 60]);
  });

  it('should let the floor follow the samples a cut brings, not keep the first, stale one', () => {
    // Arrange: raised from 10 A to 32 A at 39 s, the car's last sample (10 A, at 40 s) is from before it ramped up; it
    // draws 30 A when other load jumps to 60 A
    const history = new DrawHistory();
    history.addLimit(0, 10);
    for (let t = 10_000; t <= 30_000; t += 10_000) history.addSample(t, [10, 10, 10]);
    history.addLimit(39_000, 32);
    history.addSample(40_000, [10, 10, 10]);
    const sessions: [string, RuntimeSession][] = [['CP-1/1', { ...cappedCar()[1], history }]];
    const at = readings(sessions);
    at(50_000, [50, 50, 50]);
    const first = at(51_000, [90, 90, 90]);
    history.addLimit(51_200, 6, false);
    history.addSample(51_800, [24, 24, 24]);

    // Act: the car, being cut, is sampled at 24 A; the meter still reads over the fuse
    const later = at(52_000, [85, 85, 85]);

    // Assert: 80 A first (the stale sample counted the car low), 61 A once its fresh sample is in
    expect(first[0]!.heldAmps).toEqual([80, 80, 80]);
    expect(later[0]!.heldAmps).toEqual([61, 61, 61]);
  });

  it('should keep what an overload proved once the cut brings the reading under the fuse, not go back to an estimate that counted a ramping car at its limit', () => {
    // Arrange: a car at 10 A for half a minute with 20 A of other load, raised to 32 A at 50 s; at 52 s, while it
    // ramps (25 A), other load jumps to 50 A: 75 A on a 63 A fuse. The car is cut to 6 A and sampled at 26 A.
    const history = new DrawHistory();
    history.addLimit(0, 10);
    for (let t = 10_000; t <= 50_000; t += 10_000) history.addSample(t, [10, 10, 10]);
    const sessions: [string, RuntimeSession][] = [['CP-1/1', { ...cappedCar()[1], history }]];
    const at = readings(sessions);
    for (let t = 41_000; t <= 50_000; t += 1_000) at(t, [30, 30, 30]);
    history.addLimit(50_000, 32);
    at(52_000, [75, 75, 75]);
    history.addLimit(52_200, 6, false);
    history.addSample(52_600, [26, 26, 26]);
    const proved = at(53_000, [75, 75, 75]);

    // Act: the car follows its cut (10 A at 56 s): the reading falls under the fuse before its response time is over
    const under = at(56_000, [60, 60, 60]);

    // Assert: 49 A once the fresh sample is in; still 49 A under the fuse, where the estimate that counts the car
    // anywhere up to 32 A until it must have followed went back to 43 A (the true other load is 50 A)
    expect(proved[0]!.heldAmps).toEqual([49, 49, 49]);
    expect(under[0]!.heldAmps).toEqual([49, 49, 49]);
  });

  it('should leave a fall within half a percent of a large fuse to the estimate it holds, and follow a larger one', () => {
    // Arrange: a 6,040 A fuse (500 chargers' site in the benchmark) with 3,000 A of other load for a minute; half a
    // percent of the fuse is 30.2 A. The sum of hundreds of chargers' sample noise moves the estimate by tens of
    // amperes as samples come in (and each such fall re-opened the rises hysteresis held back, for a tenth of an
    // ampere each, 15 to 26 s after a building-load step).
    const largeSite = SiteSchema.parse(plantSite(1, { fuseAmps: 6_040, rotate: false }));
    const largePolicy = PolicySchema.parse(dynamicPolicy(6_040));
    const sessions = [cappedCar()];
    const at = readings(sessions, largeSite, largePolicy);
    for (let t = 41_000; t <= 100_000; t += 1_000) at(t, [3_010, 3_010, 3_010]);

    // Act: 20 A lower for 10 s, then 40 A lower for 10 s
    let afterSmall = at(101_000, [2_990, 2_990, 2_990]);
    for (let t = 102_000; t <= 110_000; t += 1_000) afterSmall = at(t, [2_990, 2_990, 2_990]);
    let afterLarge = at(111_000, [2_970, 2_970, 2_970]);
    for (let t = 112_000; t <= 120_000; t += 1_000) afterLarge = at(t, [2_970, 2_970, 2_970]);

    // Assert
    expect(afterSmall[0]!.heldAmps).toEqual([3_000, 3_000, 3_000]);
    expect(afterLarge[0]!.heldAmps).toEqual([2_960, 2_960, 2_960]);
  });

  it('should keep a band for its own error free in the allocation, a twentieth of an ampere per car phase, and take rises beyond margin and band', () => {
    // Arrange: 40 three-phase cars at their 10 A limit beside 20 A of other load for a minute. Each car's count has the
    // error of its charger's samples; 40 of them make a 2 A band beside the 2 A margin, so a rise must be 4 A to count.
    const bigSite = SiteSchema.parse(plantSite(40, { fuseAmps: 630, rotate: false }));
    const sessions = carsAtTheirLimit(40);
    const at = readings(sessions, bigSite);
    for (let t = 41_000; t <= 60_000; t += 1_000) at(t, [420, 420, 420]);

    // Act: 3 A more on L1 (the estimate's error could make that), then 5 A more on L2 (it could not)
    const small = at(61_000, [423, 420, 420]);
    const large = at(62_000, [423, 425, 420]);

    // Assert: the allocation keeps the 2 A band free beside the 20 A held, so the 3 A it does not follow still fit
    expect(small[0]!.heldAmps).toEqual([20, 20, 20]);
    expect(small[0]!.bandAmps).toEqual([2, 2, 2]);
    expect(OtherLoadEstimator.forAllocator(siteTopology(bigSite), small)[0]).toMatchObject({
      amps: [20, 20, 20],
      bandAmps: [2, 2, 2],
    });
    expect(large[0]!.heldAmps).toEqual([20, 25, 20]);
  });

  it('should take a rise under the noise step once it lasted 10 s, so an estimate that started low does not stay low', () => {
    // Arrange: 20 A of other load for 20 s, then 21.5 A (1.5 A more: under the 2 A step a sudden rise takes). An
    // estimate left 1.5 A low leaves the raise gate (on the safe estimate, near the truth) holding raises back at a
    // steady load, let through a tenth of an ampere whenever a sample's noise opens the room.
    const sessions = [cappedCar()];
    const at = readings(sessions);
    for (let t = 41_000; t <= 60_000; t += 1_000) at(t, [30, 30, 30]);

    // Act
    let soon = at(61_000, [31.5, 31.5, 31.5]);
    for (let t = 62_000; t <= 70_000; t += 1_000) soon = at(t, [31.5, 31.5, 31.5]);
    const lasted = at(71_000, [31.5, 31.5, 31.5]);

    // Assert
    expect(soon[0]!.heldAmps).toEqual([20, 20, 20]);
    expect(lasted[0]!.heldAmps).toEqual([21.5, 21.5, 21.5]);
  });
});
