/**
 * The control loop's promises across site changes made while it runs (the dashboard's versions, issue 17): random sites
 * and events in virtual time as in closed-loop.property.test.ts, with versions put in force at random moments, each
 * lowering every fuse and adding a charger that never connects. Every round allocates against one whole version (never
 * a mix of two), the first round after a change already against it, under that version's fuses, and the plant's real
 * fuses and budget are never exceeded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Allocation } from '../../../../shared/allocation/allocation-types';
import { siteConnectorRefs } from '../../../../shared/site/connector-ref';
import type { Site } from '../../../../shared/site/site-schema';
import { PlantScenarioSchema } from '../../../../sim/closed-loop/plant-scenario';
import { runClosedLoop } from '../../../support/closed-loop';
import { plantScenarioArb } from '../../../support/plant-arbitraries';

const SEED = process.env.CLOSED_LOOP_SEED === 'random' ? undefined : process.env.CLOSED_LOOP_SEED;
const runs = (n: number, seed = 20_261_203) => ({
  numRuns: Number(process.env.CLOSED_LOOP_RUNS ?? n),
  ...(process.env.CLOSED_LOOP_SEED === 'random' ? {} : { seed: SEED === undefined ? seed : Number(SEED) }),
});

/** Version `k` of `base`: every fuse scaled by `scale`, and chargers NEW-1 .. NEW-k on the grid connection. */
function version(base: Site, k: number, scale: number): Site {
  const root = base.circuits.find((c) => c.parent === null)?.id ?? 'main';
  const scaled = (amps: number) => Math.floor(amps * scale * 10) / 10;
  return {
    ...base,
    circuits: base.circuits.map((c) => ({
      ...c,
      fuseAmps:
        typeof c.fuseAmps === 'number'
          ? scaled(c.fuseAmps)
          : [scaled(c.fuseAmps[0]), scaled(c.fuseAmps[1]), scaled(c.fuseAmps[2])],
    })),
    chargers: [
      ...base.chargers,
      ...Array.from({ length: k }, (_, i) => ({
        id: `NEW-${i + 1}`,
        circuit: root,
        phases: 3 as const,
        phaseRotation: 'L1L2L3' as const,
        maxAmps: 16,
        minAmps: 6,
        priority: 0,
        vip: false,
        connectors: [{ id: 1 }],
      })),
    ],
  };
}

const fuseOf = (site: Site, circuitId: string): readonly number[] => {
  const fuse = site.circuits.find((c) => c.id === circuitId)?.fuseAmps ?? 0;
  return typeof fuse === 'number' ? [fuse, fuse, fuse] : fuse;
};

/** Which version an allocation was made against: the number of NEW- chargers it holds. */
const versionOf = (allocation: Allocation) =>
  allocation.connectors.filter((a) => a.chargerId.startsWith('NEW-')).length;

describe('closed loop across site changes', () => {
  it('should allocate every round against one whole version, the newest from the first round after it, never over its fuses nor the real ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        plantScenarioArb({ durationSeconds: 120 }),
        fc.array(fc.record({ atStep: fc.integer({ min: 20, max: 1_100 }), scale: fc.constantFrom(1, 0.9, 0.75) }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (scenario, changes) => {
          const base = PlantScenarioSchema.parse(scenario).site;
          const versions: Site[] = [base];
          const calls: { readonly k: number; readonly eventIndex: number }[] = [];
          let step = 0;
          const due = [...changes].sort((a, b) => a.atStep - b.atStep);
          const { quality, events } = await runClosedLoop(scenario, {
            stepMs: 100,
            onStep: (run) => {
              step += 1;
              while (due.length > 0 && (due[0]?.atStep ?? Infinity) <= step) {
                const change = due.shift();
                if (change === undefined) break;
                const k = versions.length;
                const next = version(base, k, change.scale);
                versions.push(next);
                calls.push({ k, eventIndex: run.events.length });
                void run.controller.replaceSite(next);
              }
            },
          });

          const allocations = events.flatMap((e, i) =>
            e.type === 'allocation' ? [{ i, allocation: e.allocation }] : [],
          );
          for (const { allocation } of allocations) {
            const k = versionOf(allocation);
            const site = versions[k];
            expect(site).toBeDefined();
            if (site === undefined) continue;
            expect(allocation.connectors.map((a) => a.ref).sort()).toEqual([...siteConnectorRefs(site)].sort());
            expect(allocation.circuits.map((c) => c.id).sort()).toEqual(site.circuits.map((c) => c.id).sort());
            for (const circuit of allocation.circuits) {
              const fuse = fuseOf(site, circuit.id);
              circuit.limitAmps.forEach((amps, p) => expect(amps).toBeLessThanOrEqual((fuse[p] ?? 0) + 1e-6));
            }
          }
          for (const call of calls) {
            const first = allocations.find((a) => a.i >= call.eventIndex);
            if (first !== undefined) expect(versionOf(first.allocation)).toBeGreaterThanOrEqual(call.k);
          }
          expect(quality.controllerOverloadAmpSeconds).toBe(0);
          expect(quality.inForceExcessAmpSeconds).toBe(0);
        },
      ),
      runs(12),
    );
  }, 300_000);
});
