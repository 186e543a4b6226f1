/**
 * The control loop's findings, each as a closed-loop scenario in virtual time: the real controller, allocator and
 * dispatcher against a site whose meter sees building load plus the cars' real draw.
 */
import { describe, expect, it } from 'vitest';
import type { PlantScenarioInput } from '../../../../sim/closed-loop/plant-scenario';
import { runClosedLoop } from '../../../support/closed-loop';
import { carsOnEach, dynamicPolicy, plantSite } from '../../../support/plant-sites';
import { qualityScenario, RESPONSES, withFallbackAmps } from '../../../support/quality-scenarios';

const fourCars = (meterValuesSeconds: number, building: { atSeconds: number; amps: number }[], rampSeconds = 1) => ({
  site: plantSite(4, { fuseAmps: 63 }),
  policy: dynamicPolicy(63),
  durationSeconds: 600,
  chargers: { meterValuesSeconds },
  building,
  cars: carsOnEach(4, 5, { rampSeconds }),
});

describe('closed loop: never the cause of an overload', () => {
  it.each([1, 10, 60])(
    'should never raise a car into an overload when charger samples come every %i s and building load steps',
    async (meterValuesSeconds) => {
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
    },
  );

  it('should cut enough at once when building load steps up while 100 cars still ramp', async () => {
    // Arrange: the benchmark's building steps in five minutes; the first step comes while the last cars (5 s to follow) still
    // start or ramp. A cut counting them at their full limits falls short and the second lands a car's response later.
    const scenario = qualityScenario('building steps', 100, 1, RESPONSES[1], 300);

    // Act
    const { quality } = await runClosedLoop(scenario);

    // Assert
    expect(quality.controllerOverloadAmpSeconds).toBe(0);
    // Virtual time, no waits: the bound only catches a hang. 100 cars over five minutes are CPU alone (about 10 s on a
    // core), which a file running beside it (vitest.config.ts) and a loaded machine stretch past the default 30 s.
  }, 90_000);

  it('should not hand out current a car is about to draw because its charger reported before it started (found by the property test)', async () => {
    // Arrange: two 1-phase cars on L1 of a 23 A fuse, chargers reporting every 60 s; one car starts 4 s after plug-in
    const scenario = {
      site: plantSite(2, { fuseAmps: 23, phases: 1, maxAmps: 16, rotate: false }),
      policy: dynamicPolicy(23, {
        control: { mode: 'dynamic', safetyMarginAmps: 1, staleMeter: { afterSeconds: 5, fallbackAmps: 12 } },
        closedLoop: { enabled: false },
        hysteresis: { stepAmps: 0.5, minPauseSeconds: 0, minActiveSeconds: 0 },
        rotation: { intervalSeconds: 0 },
      }),
      durationSeconds: 240,
      chargers: { meterValuesSeconds: 60, answerMs: 100 },
      building: [
        { atSeconds: 0, amps: 0 },
        { atSeconds: 9, amps: [3, 0, 0] as [number, number, number] },
      ],
      cars: [
        {
          ref: 'CP-2/1',
          arriveSeconds: 0,
          maxAmps: 9,
          phases: 1 as const,
          delaySeconds: 1,
          rampSeconds: 0.5,
          startSeconds: 1,
        },
        {
          ref: 'CP-1/1',
          arriveSeconds: 0,
          maxAmps: 12,
          phases: 1 as const,
          delaySeconds: 0,
          rampSeconds: 0.5,
          startSeconds: 4,
        },
      ],
    };

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert
    expect(quality.controllerOverloadAmpSeconds).toBe(0);
  });

  it('should cut to what is left when building load rises seconds after a cut, with cars that follow at once', async () => {
    // Arrange: the first car gets 32 A, then 24 A when the second arrives; 3 s later 35 A more building load on the
    // 63 A fuse leaves 15 A, less 0.1 A of band for the two cars' samples (other-load-settings.ts). Cars follow at once, chargers report every second, the meter is polled 5 times a second.
    const scenario = {
      site: plantSite(2, { fuseAmps: 63, rotate: false }),
      policy: dynamicPolicy(48, {
        control: { mode: 'dynamic', safetyMarginAmps: 3, staleMeter: { afterSeconds: 5, fallbackAmps: 16 } },
        hysteresis: { stepAmps: 1, minPauseSeconds: 0, minActiveSeconds: 0 },
      }),
      durationSeconds: 60,
      meter: { pollSeconds: 0.2 },
      chargers: { meterValuesSeconds: 1, answerMs: 10 },
      building: [
        { atSeconds: 0, amps: 10 },
        { atSeconds: 3, amps: 45 },
      ],
      cars: [
        { ref: 'CP-1/1', arriveSeconds: 0, startSeconds: 0, delaySeconds: 0, rampSeconds: 0 },
        { ref: 'CP-2/1', arriveSeconds: 0.1, startSeconds: 0, delaySeconds: 0, rampSeconds: 0 },
      ],
    };

    // Act
    const { quality, controller } = await runClosedLoop(scenario, {
      stepMs: 20,
      settings: { debounceMs: 20, tickMs: 1_000 },
    });

    // Assert
    expect(quality.controllerOverloadAmpSeconds).toBe(0);
    expect(controller.allocation!.connectors.map((c) => c.amps)).toEqual([7.5, 7.4]);
  });

  it('should raise no car into a sub-circuit overload while a dropped charger comes back (found by the property test without the raise gate)', async () => {
    // Arrange: the shrunk counterexample fast-check found (seed -1093847764) with the raise gate removed: two 1-phase
    // cars under a 16 A row on a 25 A connection; CP-1 drops off for six seconds while CP-3's car arrives
    const scenario: PlantScenarioInput = {
      site: {
        $schemaVersion: 1 as const,
        id: 'site',
        circuits: [
          { id: 'grid', parent: null, fuseAmps: 25, meterId: 'grid-meter' },
          { id: 'row', parent: 'grid', fuseAmps: 16 },
        ],
        chargers: [
          { id: 'CP-1', circuit: 'row', phases: 1 as const, phaseRotation: 'L1L2L3' as const, maxAmps: 16 },
          { id: 'CP-2', circuit: 'grid', phases: 1 as const, phaseRotation: 'L1L2L3' as const, maxAmps: 16 },
          { id: 'CP-3', circuit: 'row', phases: 1 as const, phaseRotation: 'L1L2L3' as const, maxAmps: 16 },
        ],
      },
      policy: {
        $schemaVersion: 1 as const,
        budget: { unit: 'A' as const, min: 0, max: 25 },
        control: { mode: 'dynamic' as const, safetyMarginAmps: 1, staleMeter: { afterSeconds: 5, fallbackAmps: 18 } },
        closedLoop: { enabled: false },
        failSafe: { connectorAmps: 6 },
        hysteresis: { stepAmps: 0.5, minPauseSeconds: 0, minActiveSeconds: 0 },
        granularityAmps: 0.1,
        rotation: { intervalSeconds: 0 },
      },
      durationSeconds: 240,
      meter: { pollSeconds: 1, noiseAmps: 0 },
      chargers: { meterValuesSeconds: 1, answerMs: 100, noiseAmps: 0 },
      building: [{ atSeconds: 0, amps: [0, 0, 0] as [number, number, number] }],
      cars: [
        {
          ref: 'CP-1/1',
          arriveSeconds: 0,
          maxAmps: 9,
          phases: 1 as const,
          delaySeconds: 0,
          rampSeconds: 2,
          startSeconds: 1,
        },
        {
          ref: 'CP-3/1',
          arriveSeconds: 5,
          maxAmps: 8,
          phases: 1 as const,
          delaySeconds: 0,
          rampSeconds: 0.5,
          startSeconds: 1,
        },
      ],
      dropouts: [{ chargerId: 'CP-1', fromSeconds: 5, toSeconds: 11 }],
      meterLoss: [],
      seed: 0,
    };

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert
    expect(quality.controllerOverloadAmpSeconds).toBe(0);
    expect(quality.inForceExcessAmpSeconds).toBe(0);
  });

  it('should not count as ours the overload a building-load rise makes with an offline charger lease', async () => {
    // Arrange: two cars share a 32 A fuse at 15 A each; CP-1 drops off with its lease running, then the building load
    // rises by 20 A: CP-2 is cut to nothing, CP-1 goes on at its lease until it runs out
    const scenario = {
      site: plantSite(2, { fuseAmps: 32, phases: 1, rotate: false }),
      policy: dynamicPolicy(32, { closedLoop: { enabled: false } }),
      durationSeconds: 200,
      chargers: { meterValuesSeconds: 10 },
      building: [
        { atSeconds: 0, amps: 0 },
        { atSeconds: 60, amps: 20 },
      ],
      cars: carsOnEach(2, 5),
      dropouts: [{ chargerId: 'CP-1', fromSeconds: 30, toSeconds: 190 }],
    };

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: the site was over its fuse, but nothing a controller could still cut was drawing
    expect(quality.totalOverloadAmpSeconds).toBeGreaterThan(0);
    expect(quality.controllerOverloadAmpSeconds).toBe(0);
  });
});

describe('closed loop: calm', () => {
  it.each([1, 10, 60])(
    'should stop changing limits at constant building load with charger samples every %i s',
    async (meterValuesSeconds) => {
      // Arrange
      const scenario = fourCars(meterValuesSeconds, [{ atSeconds: 0, amps: 10 }]);

      // Act
      const { quality } = await runClosedLoop(scenario);

      // Assert
      expect(quality.settledSeconds).toBeGreaterThan(400);
      expect(quality.settledChangesPerChargerHour).toBe(0);
    },
  );

  it.each([1, 10])(
    'should pause nobody while every car fits at its minimum (charger samples every %i s)',
    async (meterValuesSeconds) => {
      // Arrange: 30 A of building load leaves 31 A: every car fits at 7.5 A, none at its full share
      const scenario = fourCars(
        meterValuesSeconds,
        [
          { atSeconds: 0, amps: 10 },
          { atSeconds: 150, amps: 30 },
        ],
        4.5,
      );

      // Act
      const { quality } = await runClosedLoop(scenario);

      // Assert
      expect(quality.unneededPauseSeconds).toBe(0);
      expect(quality.deliveredAmpSeconds / quality.allowedAmpSeconds).toBeGreaterThan(0.95);
    },
  );

  it('should be steady a minute after a burst of arrivals, cars that take less than offered found within seconds (32 chargers)', async () => {
    // Arrange: 1 s samples, cars that take 5 s to follow; several take less than their share
    const scenario = qualityScenario('arrival burst', 32, 1, RESPONSES[1], 360);

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: closed loop judged a car only 15 s after each change, so every raise its cap freed lifted another car
    // above what it takes, found 15 s later: changes went on a minute after the last arrival (4.7 per charger and hour)
    expect(quality.settledSeconds).toBeGreaterThan(150);
    expect(quality.settledChangesPerChargerHour).toBe(0);
  });

  it('should settle within 12 s of a building-load step that lifts cars above what they take (8 chargers, 10 s samples)', async () => {
    // Arrange
    const scenario = qualityScenario('building steps', 8, 10, RESPONSES[1], 600);

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: a car raised above what it takes was capped 15 s after the raise (settle 19.3 s); shown steady after its
    // response time, it is capped within seconds (the raise at 4.3 s, the cap at 11 s)
    expect(Math.max(...quality.settleSeconds)).toBeLessThan(12);
  });

  it('should let the cars the lost-meter fallback paused charge again once the meter is back, not a minimum pause later', async () => {
    // Arrange: 8 chargers, the grid meter silent from 300 to 310 s; lost after 10 s without a reading, it is lost for
    // under a second, and its fallback (16 A per phase) has room for three of the eight cars
    const scenario = withFallbackAmps(qualityScenario('meter loss', 8, 1, RESPONSES[0], 600), 16);

    // Act
    const { events } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: every car paused in that second charges again within 10 s of the meter's return
    const start = events[0]!.at;
    const accepted = events.flatMap((e) => (e.type === 'profileAccepted' ? [{ ...e, s: (e.at - start) / 1000 }] : []));
    const paused = accepted.filter((e) => e.amps === 0 && e.s > 300 && e.s < 311);
    expect(paused.length).toBeGreaterThan(0);
    for (const pause of paused) {
      const resumed = accepted.find((e) => e.chargerId === pause.chargerId && e.s > pause.s && e.amps > 0);
      // Before: each sat out the 60 s minimum pause, back at 369 s
      expect(resumed?.s, pause.chargerId).toBeLessThan(320);
    }
  });

  it('should keep the cars a flapping meter paused off until it reads steadily again, not cycle them at every loss', async () => {
    // Arrange: the grid meter goes silent for 11 s every 30 s, four times: each time it is lost for about a second
    const base = withFallbackAmps(qualityScenario('meter loss', 8, 1, RESPONSES[0], 400), 16);
    const scenario = {
      ...base,
      meterLoss: [100, 130, 160, 190].map((from) => ({
        meterId: 'grid-meter',
        fromSeconds: from,
        toSeconds: from + 11,
      })),
    };

    // Act
    const { events } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: a car paused by the first loss charges again at once; from the second loss on, the cars it paused stay
    // paused until the meter has read a minimum pause (60 s) without a gap: no car is paused more than twice
    const start = events[0]!.at;
    const accepted = events.flatMap((e) => (e.type === 'profileAccepted' ? [{ ...e, s: (e.at - start) / 1000 }] : []));
    const pausesOf = new Map<string, number>();
    for (const e of accepted)
      if (e.amps === 0 && e.change !== 'renewal' && e.s > 100 && e.s < 300)
        pausesOf.set(e.chargerId, (pausesOf.get(e.chargerId) ?? 0) + 1);
    expect(pausesOf.size).toBeGreaterThan(0);
    // Before: the cars the fallback had no room for were paused and restarted at each of the four losses
    expect(Math.max(...pausesOf.values())).toBeLessThanOrEqual(2);
    const firstResume = (chargerId: string, after: number) =>
      accepted.find((e) => e.chargerId === chargerId && e.s > after && e.amps > 0)?.s;
    for (const chargerId of pausesOf.keys()) {
      const pausedLast = accepted
        .filter((e) => e.chargerId === chargerId && e.amps === 0 && e.change !== 'renewal' && e.s < 300)
        .at(-1)!.s;
      // The last silence ends at 201 s: back once the meter has read 60 s without a gap
      expect(firstResume(chargerId, pausedLast), chargerId).toBeGreaterThanOrEqual(260);
      expect(firstResume(chargerId, pausedLast), chargerId).toBeLessThan(275);
    }
  });

  it('should settle within 5 s of each building-load step at 500 chargers, the error of their samples not read as other load (10 s samples, 5 s cars)', async () => {
    // Arrange: steps at 80, 160, 240 and 320 s. The chargers' samples each carry a little error, and 500 of them add up
    // to more than the 2 A margin: the two rises settled in 6.6 s, a second cut coming once the cars' samples after the
    // first replaced their limits in the estimate (other-load-settings.ts, the band).
    const scenario = qualityScenario('building steps', 500, 10, RESPONSES[1], 400);

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 200 });

    // Assert
    expect(quality.settleSeconds).toHaveLength(5);
    expect(Math.max(...quality.settleSeconds)).toBeLessThan(5);
    expect(quality.settledChangesPerChargerHour).toBe(0);
    // Virtual time, no waits: the bound only catches a hang (500 cars over 400 s are about 15 s of one core).
  }, 120_000);

  it('should not let raises through a tenth of an ampere at a time once the meter is back (32 chargers, 1 s samples)', async () => {
    // Arrange: the grid meter silent from 120 to 150 s and from 300 to 310 s
    const scenario = qualityScenario('meter loss', 32, 1, RESPONSES[0], 600);

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: once the meter was back the allocation filled the fuse under the held estimate (126.7 A, the truth 127 A),
    // while raises must fit under the safe one (each car at its last sample capped at its limit: 1.5 to 2 A higher).
    // CP-31 was held back at 9.1 of its 10.2 A and raised by 0.1 A at 372.9 s, when a sample's noise opened the room.
    expect(quality.settledSeconds).toBeGreaterThan(300);
    expect(quality.settledChangesPerChargerHour).toBe(0);
  });

  it('should give the cars their whole share again once the meter is back, not leave them tenths of an ampere under it (32 chargers, 60 s samples, 5 s cars)', async () => {
    // Arrange: the control-quality row that missed 95 % of the energy the same policy knowing all delivers
    const scenario = qualityScenario('meter loss', 32, 60, RESPONSES[1], 600);

    // Act
    const { quality } = await runClosedLoop(scenario, { stepMs: 100 });

    // Assert: after the second loss the gate raised 17 cars to 9.8 A of their 10.1 A (cars still ramping counted as
    // other load), and hysteresis kept the rest back as a small change for as long as the load held: 97.9 % of the
    // ideal in every half-minute after, 99.1 % before; 94.7 % in all
    expect(quality.deliveredAmpSeconds / quality.idealAmpSeconds).toBeGreaterThanOrEqual(0.95);
    expect(quality.settledChangesPerChargerHour).toBe(0);
  });

  it('should settle within 5 s of a building-load step', async () => {
    // Arrange
    const scenario = fourCars(1, [
      { atSeconds: 0, amps: 10 },
      { atSeconds: 200, amps: 25 },
      { atSeconds: 400, amps: 5 },
    ]);

    // Act
    const { quality } = await runClosedLoop(scenario);

    // Assert
    expect(quality.settleSeconds.every((s) => s < 5)).toBe(true);
  });
});
