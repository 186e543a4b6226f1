import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocate } from '../../../../shared/allocation/allocator';
import type { Allocation } from '../../../../shared/allocation/allocation-types';
import { safetyViolations } from '../../../support/allocation-invariants';
import { roundSnapshot, ScenarioSchema } from '../../../support/scenario';

const folder = join(import.meta.dirname, '../../../fixtures/scenarios');
const files = readdirSync(folder)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('allocation scenarios', () => {
  it('should have at least 40 scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('should allocate as %s expects', (file) => {
    const scenario = ScenarioSchema.parse(JSON.parse(readFileSync(join(folder, file), 'utf8')));
    let previous: Allocation | undefined;
    scenario.rounds.forEach((round, r) => {
      const { snapshot, now } = roundSnapshot(scenario.site, round, previous);
      const allocation = allocate(snapshot, scenario.policy, now);
      const where = `${scenario.name}, round ${r + 1}${round.note ? ` (${round.note})` : ''}`;
      expect(safetyViolations(snapshot, scenario.policy, allocation, now), where).toEqual([]);
      for (const [ref, expected] of Object.entries(round.expect.connectors)) {
        const actual = allocation.connectors.find((c) => c.ref === ref);
        expect(actual, `${where}: ${ref} is not in the allocation`).toBeDefined();
        const picked = Object.fromEntries(
          Object.keys(expected).map((key) => [key, actual![key as keyof typeof actual]]),
        );
        expect(picked, `${where}: ${ref}`).toEqual(expected);
      }
      if (round.expect.totalAmps) expect(allocation.totalAmps, `${where}: total`).toEqual(round.expect.totalAmps);
      for (const [id, expected] of Object.entries(round.expect.circuits)) {
        const actual = allocation.circuits.find((c) => c.id === id);
        const picked = Object.fromEntries(
          Object.keys(expected).map((key) => [key, actual?.[key as keyof typeof actual]]),
        );
        expect(picked, `${where}: circuit ${id}`).toEqual(expected);
      }
      if (round.expect.budget)
        expect({ value: allocation.budget.value, source: allocation.budget.source }, `${where}: budget`).toEqual(
          round.expect.budget,
        );
      previous = allocation;
    });
  });
});
