import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classGroups, fillClasses } from '../../../../shared/allocation/class-fill';
import { connectorDemand, priorityLookup } from '../../../../shared/allocation/connector-demand';
import { constraintLimits } from '../../../../shared/allocation/constraint-limits';
import { buildConstraintSet, constraintLayout } from '../../../../shared/allocation/constraint-set';
import { selectActive } from '../../../../shared/allocation/pause-selection';
import { emptyRound } from '../../../../shared/allocation/previous-round';
import { phaseTotals } from '../../../../shared/allocation/phase-balance';
import { siteTopology } from '../../../../shared/allocation/site-topology';
import { FillWorkspace } from '../../../../shared/allocation/fill-workspace';
import { caseArb } from '../../../support/site-arbitraries';

describe('fillClasses (properties)', () => {
  it('should refill after imbalance caps were lowered to the same steps and levels as a fill from scratch', () => {
    fc.assert(
      fc.property(
        caseArb(30),
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (c, allowedSteps, depth) => {
          const { site } = c.snapshot;
          const topology = siteTopology(site);
          const demand = connectorDemand(
            topology,
            c.snapshot.connectors,
            emptyRound(topology.connectors.length),
            c.policy,
            priorityLookup(c.policy),
            c.now,
          );
          const layout = constraintLayout(topology);
          const { capacity } = constraintLimits(site, topology, layout, demand, c.snapshot.meters, c.policy, c.now);
          const set = buildConstraintSet(topology, demand, layout, capacity);
          const selection = selectActive(demand, set, capacity, c.policy, c.now, new Uint8Array(demand.n));
          const groups = classGroups(demand, selection.active);
          const ws = new FillWorkspace(capacity.length, demand.n);
          const first = fillClasses(ws, demand, set, capacity, selection.used, groups);

          // Cap the heavier phases as phase balancing does, somewhere between the lightest phase and their load.
          const totals = phaseTotals(demand, selection.active, first.steps);
          const lightest = Math.min(...totals);
          const lowered: number[] = [];
          for (let p = 0; p < 3; p++) {
            if (totals[p]! <= lightest + allowedSteps) continue;
            const c = layout.imbalanceBase + p;
            capacity[c] = Math.floor(lightest + allowedSteps + depth * (totals[p]! - lightest - allowedSteps));
            lowered.push(c);
          }
          const refilled = fillClasses(ws, demand, set, capacity, selection.used, groups, { previous: first, lowered });
          const fromScratch = fillClasses(ws, demand, set, capacity, selection.used, groups);

          // Where two limits fill at the same level, either may be named as the bound: steps, levels and usage agree.
          expect([...refilled.steps]).toEqual([...fromScratch.steps]);
          expect(refilled.levels.every((level, i) => Math.abs(level - fromScratch.levels[i]!) < 1e-6)).toBe(true);
          expect(refilled.used.every((u, k) => Math.abs(u - fromScratch.used[k]!) < 1e-6)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});
