/**
 * The control loop's promises over random sites and random event sequences, in virtual time: the real controller,
 * allocator and dispatcher against the site plant.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ControlEvent } from '../../../../edge/control/control-events';
import { runClosedLoop } from '../../../support/closed-loop';
import { plantScenarioArb } from '../../../support/plant-arbitraries';

/**
 * A fixed seed keeps CI reproducible; `CLOSED_LOOP_SEED=random CLOSED_LOOP_RUNS=500 npx vitest run <this file>`
 * explores (fast-check prints the seed and the shrunk scenario of any failure).
 */
const SEED = process.env.CLOSED_LOOP_SEED === 'random' ? undefined : process.env.CLOSED_LOOP_SEED;
const runs = (n: number, seed = 20_261_202) => ({
  numRuns: Number(process.env.CLOSED_LOOP_RUNS ?? n),
  ...(process.env.CLOSED_LOOP_SEED === 'random' ? {} : { seed: SEED === undefined ? seed : Number(SEED) }),
});

const accepted = (events: readonly ControlEvent[]) =>
  events.filter((e): e is Extract<ControlEvent, { type: 'profileAccepted' }> => e.type === 'profileAccepted');

describe('closed loop over random sites and events', () => {
  it('should never cause an overload nor hold more in force than the budget and the fuses allow, and pause nobody the site could carry', async () => {
    await fc.assert(
      fc.asyncProperty(plantScenarioArb(), async (scenario) => {
        const { quality } = await runClosedLoop(scenario, { stepMs: 100 });
        expect(quality.controllerOverloadAmpSeconds).toBe(0);
        expect(quality.inForceExcessAmpSeconds).toBe(0);
        expect(quality.unneededPauseStarts).toBe(0);
      }),
      // The reservation of a booting charger's maximum is guarded by closed-loop.regressions-boot.test.ts: since boots
      // are answered once the charger is protected, random sites seldom meet it (without it, 300 runs of this seed pass)
      runs(80),
    );
  }, 300_000);

  it('should never cause an overload with boots answered once the charger is protected, cars plugging in as it restarts', async () => {
    await fc.assert(
      fc.asyncProperty(plantScenarioArb({ protectedBoots: true }), async (scenario) => {
        const { quality } = await runClosedLoop(scenario, { stepMs: 100 });
        expect(quality.controllerOverloadAmpSeconds).toBe(0);
        expect(quality.inForceExcessAmpSeconds).toBe(0);
        expect(quality.unneededPauseStarts).toBe(0);
      }),
      runs(80),
    );
  }, 300_000);

  it('should raise no car into an overload while the cars it cut still follow (cars come and go, slow to follow)', async () => {
    await fc.assert(
      fc.asyncProperty(plantScenarioArb({ churn: true }), async (scenario) => {
        const { quality } = await runClosedLoop(scenario, { stepMs: 100 });
        expect(quality.controllerOverloadAmpSeconds).toBe(0);
        expect(quality.inForceExcessAmpSeconds).toBe(0);
      }),
      // Without the raise gate this seed fails at its 78th run (an overload of 1.2 A*s on a 16 A row)
      runs(100, 1),
    );
  }, 300_000);

  it('should stop changing limits once the load is steady', async () => {
    await fc.assert(
      fc.asyncProperty(plantScenarioArb({ steady: true, durationSeconds: 300 }), async (scenario) => {
        const { events, clock } = await runClosedLoop(scenario, { stepMs: 100 });
        const settledFrom = clock.now() - 300_000 + 150_000;
        expect(
          accepted(events)
            .filter((e) => e.change !== 'renewal' && e.at >= settledFrom)
            .map((e) => [e.chargerId, e.amps, e.at - settledFrom]),
        ).toEqual([]);
      }),
      runs(20),
    );
  }, 300_000);

  it('should hold the phase-imbalance limit in every allocation it sends, hysteresis and held-back raises included', async () => {
    await fc.assert(
      fc.asyncProperty(plantScenarioArb({ imbalance: true }), async (scenario) => {
        const limit = scenario.policy.phaseImbalance?.maxAmps ?? Infinity;
        const { events } = await runClosedLoop(scenario, { stepMs: 100 });
        for (const e of events) {
          if (e.type !== 'allocation') continue;
          const controlled = e.allocation.connectors.filter(
            (a) => a.reason !== 'offline' && a.reason !== 'unresponsive' && a.reason !== 'unconfigured',
          );
          if (controlled.length < e.allocation.connectors.length) continue;
          const total = [0, 1, 2].map((p) => controlled.reduce((sum, a) => sum + a.phaseAmps[p as 0], 0));
          expect(Math.max(...total) - Math.min(...total)).toBeLessThanOrEqual(limit + 1e-6);
        }
      }),
      runs(20),
    );
  }, 300_000);
});
