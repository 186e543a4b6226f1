/**
 * Peak-demand control in closed loop, in virtual time: the real controller against the site plant, over random sites,
 * arrivals and building loads that change at the periods' boundaries and inside them. Each period's true average
 * import (as the grid operator's meter counts it) is judged against the target.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlantScenarioInput } from '../../../../sim/closed-loop/plant-scenario';
import { runClosedLoop } from '../../../support/closed-loop';
import { dynamicPolicy, plantSite } from '../../../support/plant-sites';

const PERIOD_MINUTES = 5;
const PERIOD_SECONDS = PERIOD_MINUTES * 60;
const PERIODS = 3;
const VOLTS = 230;

/** A site whose hungry cars could take far more than the target leaves them, with building load set per period. */
const demandScenarioArb = (): fc.Arbitrary<{ scenario: PlantScenarioInput; targetKw: number }> =>
  fc
    .record({
      chargers: fc.integer({ min: 2, max: 8 }),
      targetKw: fc.integer({ min: 15, max: 60 }),
      // Building load per period, as a share of the target: mostly under it, sometimes over; and up to two steps inside
      // each period, at any second of it.
      shares: fc.array(fc.double({ min: 0.1, max: 1.2, noNaN: true }), { minLength: PERIODS, maxLength: PERIODS }),
      inside: fc.array(
        fc.array(
          fc.record({
            atSeconds: fc.integer({ min: 1, max: PERIOD_SECONDS - 1 }),
            share: fc.double({ min: 0.1, max: 1.2, noNaN: true }),
          }),
          { maxLength: 2 },
        ),
        { minLength: PERIODS, maxLength: PERIODS },
      ),
      arrivals: fc.array(fc.integer({ min: 1, max: 2 * PERIOD_SECONDS }), { minLength: 8, maxLength: 8 }),
      carPhases: fc.array(fc.constantFrom(1 as const, 3 as const), { minLength: 8, maxLength: 8 }),
      meterValuesSeconds: fc.constantFrom(1, 10, 60),
      rampSeconds: fc.constantFrom(0.5, 4.5),
      noise: fc.constantFrom(0, 0.3),
      marginKw: fc.constantFrom(0.5, 1),
    })
    .map(
      ({
        chargers,
        targetKw,
        shares,
        inside,
        arrivals,
        carPhases,
        meterValuesSeconds,
        rampSeconds,
        noise,
        marginKw,
      }) => {
        const fuseAmps = 40 + chargers * 32;
        const buildingAmps = (share: number) => Math.round(((share * targetKw * 1000) / (3 * VOLTS)) * 10) / 10;
        return {
          targetKw,
          scenario: {
            site: plantSite(chargers, { fuseAmps }),
            policy: dynamicPolicy(fuseAmps, {
              demandControl: { enabled: true, periodMinutes: PERIOD_MINUTES, targetKw, marginKw },
            }),
            durationSeconds: PERIODS * PERIOD_SECONDS,
            meter: { pollSeconds: 1, noiseAmps: noise },
            chargers: { meterValuesSeconds, answerMs: 300, noiseAmps: noise },
            building: shares.flatMap((share, k) => [
              { atSeconds: k * PERIOD_SECONDS, amps: buildingAmps(share) },
              ...inside[k]!.map((step) => ({
                atSeconds: k * PERIOD_SECONDS + step.atSeconds,
                amps: buildingAmps(step.share),
              })),
            ]),
            cars: Array.from({ length: chargers }, (_, i) => ({
              ref: `CP-${i + 1}/1`,
              arriveSeconds: arrivals[i]!,
              maxAmps: 32,
              phases: carPhases[i]!,
              delaySeconds: 0.5,
              rampSeconds,
            })),
          },
        };
      },
    );

/** How fast the meter is read and the cars follow a new limit (the defaults: a 1 s meter, cars taking 5 s). */
interface Response {
  readonly meterPollSeconds: number;
  readonly carDelaySeconds: number;
  readonly carRampSeconds: number;
}
const USUAL_RESPONSE: Response = { meterPollSeconds: 1, carDelaySeconds: 0.5, carRampSeconds: 4.5 };

/**
 * `chargers` hungry 3-phase cars from the start, and the building at 5 kW until it rises to `riseKw` `riseAtSeconds`
 * into the second period: the cars were taking the room the target left, and draw on for their cut's response.
 */
function riseInsidePeriod(
  chargers: number,
  targetKw: number,
  marginKw: number,
  riseKw: number,
  riseAtSeconds: number,
  response: Response = USUAL_RESPONSE,
): PlantScenarioInput {
  const fuseAmps = 40 + chargers * 32;
  const amps = (kw: number) => Math.round(((kw * 1000) / (3 * VOLTS)) * 10) / 10;
  return {
    site: plantSite(chargers, { fuseAmps }),
    policy: dynamicPolicy(fuseAmps, {
      demandControl: { enabled: true, periodMinutes: PERIOD_MINUTES, targetKw, marginKw },
    }),
    durationSeconds: PERIODS * PERIOD_SECONDS,
    meter: { pollSeconds: response.meterPollSeconds, noiseAmps: 0 },
    chargers: { meterValuesSeconds: 10, answerMs: 300, noiseAmps: 0 },
    building: [
      { atSeconds: 0, amps: amps(5) },
      { atSeconds: PERIOD_SECONDS + riseAtSeconds, amps: amps(riseKw) },
    ],
    cars: Array.from({ length: chargers }, (_, i) => ({
      ref: `CP-${i + 1}/1`,
      arriveSeconds: 1,
      maxAmps: 32,
      phases: 3 as const,
      delaySeconds: response.carDelaySeconds,
      rampSeconds: response.carRampSeconds,
    })),
  };
}

/**
 * Where the margin alone decides: 8 cars that take their whole offer at once (no slack left in their draw), a meter
 * read every 3 s, and the building rising 0.1 s after a reading, 3 minutes into the period, from 5 kW to just under the
 * target less the margin. The cars draw the whole room (113.5 kW) until the next reading shows the rise and the cut
 * lands (3 s, plus the round and the charger's answer: about 3.5 s), and the rise leaves them nothing to give back
 * afterwards. Their draw until the cut comes to 113.5 kW x 3.5 s / 300 s = 1.3 kW of the period's average: a margin of
 * 1.5 kW covers it (docs/demand-control.md, "Sizing the margin"); without one the period ends about 0.4 kW over.
 */
const MARGIN_DECIDES = { chargers: 8, targetKw: 120, marginKw: 1.5, riseAtSeconds: 180.1 } as const;
const INSTANT_CARS_SLOW_METER: Response = { meterPollSeconds: 3, carDelaySeconds: 0, carRampSeconds: 0 };

async function secondPeriodWithMargin(marginKw: number) {
  const { chargers, targetKw, riseAtSeconds } = MARGIN_DECIDES;
  const riseKw = targetKw - MARGIN_DECIDES.marginKw - 0.05;
  const scenario = riseInsidePeriod(chargers, targetKw, marginKw, riseKw, riseAtSeconds, INSTANT_CARS_SLOW_METER);
  const { quality } = await runClosedLoop(scenario, { stepMs: 100 });
  return quality.demandPeriods.filter((p) => p.complete)[1]!;
}

describe('peak-demand control in closed loop', () => {
  it.each([
    [4, 30, 1, 25, 8],
    [8, 60, 0.5, 59, 60],
  ])(
    'should keep the period under the target through a building rise inside it: %i chargers, %i kW target, %f kW margin, a rise to %f kW at %i s',
    async (chargers, targetKw, marginKw, riseKw, riseAt) => {
      const { quality } = await runClosedLoop(riseInsidePeriod(chargers, targetKw, marginKw, riseKw, riseAt), {
        stepMs: 100,
      });
      const [, second] = quality.demandPeriods.filter((p) => p.complete);
      expect(second!.buildingExcessKw).toBe(0);
      expect(second!.averageKw).toBeLessThanOrEqual(targetKw);
    },
  );

  it('should keep the period under the target when the cars draw their whole room until a late rise is seen: the margin covers that draw', async () => {
    const second = await secondPeriodWithMargin(MARGIN_DECIDES.marginKw);
    expect(second.buildingExcessKw).toBe(0);
    expect(second.averageKw).toBeLessThanOrEqual(MARGIN_DECIDES.targetKw);
  });

  it('should need the margin in that scenario: without one the same period ends over the target (so the test above guards the margin)', async () => {
    const second = await secondPeriodWithMargin(0);
    expect(second.buildingExcessKw).toBe(0);
    expect(second.averageKw).toBeGreaterThan(MARGIN_DECIDES.targetKw);
  });

  it("should keep every period's average under the target whenever the building load alone stays under it, and leave the rest of any overshoot to the building", async () => {
    await fc.assert(
      fc.asyncProperty(demandScenarioArb(), async ({ scenario, targetKw }) => {
        const { quality } = await runClosedLoop(scenario, { stepMs: 100 });
        const complete = quality.demandPeriods.filter((p) => p.complete);
        expect(complete.length).toBe(PERIODS - 1);
        // Whenever the building load alone stays under the target less the margin (at every moment, steps inside the
        // period included), no period's average exceeds the target; otherwise the overshoot is the building's own
        // excess over it (a rise the chargers' share could not absorb; what they drew before it cannot be taken back).
        for (const period of complete) expect(period.averageKw).toBeLessThanOrEqual(targetKw + period.buildingExcessKw);
        expect(quality.controllerOverloadAmpSeconds).toBe(0);
      }),
      { numRuns: Number(process.env.CLOSED_LOOP_RUNS ?? 12), seed: Number(process.env.CLOSED_LOOP_SEED ?? 20_261_203) },
    );
  }, 300_000);
});
