/** Sites and policies for closed-loop scenarios: one metered grid connection and n chargers, as data. */
import type { PolicyInput } from '../../shared/policy/policy-schema';
import type { SiteInput } from '../../shared/site/site-schema';
import type { PlantScenarioInput } from '../../sim/closed-loop/plant-scenario';

export interface PlantSiteOptions {
  readonly fuseAmps?: number;
  readonly phases?: 1 | 3;
  readonly maxAmps?: number;
  readonly metered?: boolean;
  /** Spread the chargers over the grid phases (the default), or wire them all L1L2L3. */
  readonly rotate?: boolean;
}

/** `n` chargers on one grid connection with a fuse, metered by default. */
export function plantSite(n: number, options: PlantSiteOptions = {}): SiteInput {
  const rotations = ['L1L2L3', 'L2L3L1', 'L3L1L2'] as const;
  return {
    $schemaVersion: 1,
    id: 'site',
    circuits: [
      {
        id: 'grid',
        parent: null,
        fuseAmps: options.fuseAmps ?? 63,
        ...(options.metered === false ? {} : { meterId: 'grid-meter' }),
      },
    ],
    chargers: Array.from({ length: n }, (_, i) => ({
      id: `CP-${i + 1}`,
      circuit: 'grid',
      phases: options.phases ?? 3,
      phaseRotation: options.rotate === false ? 'L1L2L3' : rotations[i % 3]!,
      maxAmps: options.maxAmps ?? 32,
    })),
  };
}

/** Dynamic mode on the grid meter with closed loop, the way the product is recommended to run. */
export function dynamicPolicy(budgetAmps: number, overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    $schemaVersion: 1,
    budget: { unit: 'A', min: 0, max: budgetAmps },
    control: { mode: 'dynamic', safetyMarginAmps: 2, staleMeter: { afterSeconds: 10, fallbackAmps: 16 } },
    closedLoop: { enabled: true },
    ...overrides,
  };
}

/** A car on every charger, arriving `everySeconds` apart. */
export function carsOnEach(
  n: number,
  everySeconds: number,
  car: Partial<PlantScenarioInput['cars'] extends (infer C)[] | undefined ? C : never> = {},
) {
  return Array.from({ length: n }, (_, i) => ({ ref: `CP-${i + 1}/1`, arriveSeconds: 1 + i * everySeconds, ...car }));
}

/** `n` chargers on an unmetered grid connection under static control, the budget its fuse. */
export function staticPlant(n: number, fuseAmps: number, options: Omit<PlantSiteOptions, 'fuseAmps' | 'metered'> = {}) {
  return {
    site: plantSite(n, { ...options, fuseAmps, metered: false }),
    policy: { $schemaVersion: 1 as const, budget: { unit: 'A' as const, min: 0, max: fuseAmps } },
  };
}
