/** Small valid sites, chargers and policies for cloud tests. */
import type { PolicyInput } from '../../../../shared/policy/policy-schema';
import type { SiteInput } from '../../../../shared/site/site-schema';

export function siteInput(id: string, overrides: Partial<SiteInput> = {}): SiteInput {
  return {
    $schemaVersion: 1,
    id,
    name: `Site ${id}`,
    circuits: [{ id: 'main', parent: null, fuseAmps: 63 }],
    chargers: [
      { id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 32 },
      { id: 'CP-2', circuit: 'main', phases: 3, maxAmps: 32 },
    ],
    ...overrides,
  };
}

export function policyInput(budgetMaxAmps = 40): PolicyInput {
  return { $schemaVersion: 1, budget: { unit: 'A', min: 0, max: budgetMaxAmps } };
}
