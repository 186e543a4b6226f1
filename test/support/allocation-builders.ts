/** Small hand-made sites, policies and rounds for allocator regression tests. */
import type { Allocation, ConnectorAllocation, SiteSnapshot } from '../../shared/allocation/allocation-types';
import { PolicySchema, type Policy, type PolicyInput } from '../../shared/policy/policy-schema';
import { SiteSchema, type Site, type SiteInput } from '../../shared/site/site-schema';

type ChargerInput = SiteInput['chargers'][number];
import type { ConnectorState } from '../../shared/site/site-state';

export const T0 = Date.UTC(2026, 10, 20, 10, 0);

/** A site with one grid circuit (`fuseAmps`) and the given chargers on it. */
export function siteOf(
  fuseAmps: number | [number, number, number],
  chargers: ReadonlyArray<Omit<ChargerInput, 'circuit'>>,
): Site {
  return SiteSchema.parse({
    $schemaVersion: 1,
    id: 'site',
    circuits: [{ id: 'grid', parent: null, fuseAmps }],
    chargers: chargers.map((c) => ({ circuit: 'grid', ...c })),
  });
}

/** A policy with an `A` budget of `budgetAmps` per phase and the given overrides. */
export function policyOf(budgetAmps: number, overrides: Partial<PolicyInput> = {}): Policy {
  return PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: budgetAmps }, ...overrides });
}

export interface CarInput {
  readonly idTag?: string;
  readonly energyWh?: number;
  readonly carPhases?: 1 | 2 | 3;
}

/** A charging session on each named connector. */
export function charging(cars: Readonly<Record<string, CarInput>>, now = T0): ConnectorState[] {
  return Object.entries(cars).map(([ref, car]) => ({
    ref,
    status: 'Charging' as const,
    link: 'online' as const,
    session: {
      id: `tx-${ref}`,
      startedAt: now - 3_600_000,
      energyWh: car.energyWh ?? 0,
      ...(car.idTag === undefined ? {} : { idTag: car.idTag }),
      ...(car.carPhases === undefined ? {} : { carPhases: car.carPhases }),
    },
  }));
}

/** The snapshot of one round. */
export function snapshotOf(site: Site, connectors: ConnectorState[], previous?: Allocation): SiteSnapshot {
  return { site, connectors, meters: [], ...(previous ? { previous } : {}) };
}

/** Amps per connector ref, for compact expectations. */
export function ampsByRef(allocation: Allocation): Record<string, number> {
  return Object.fromEntries(allocation.connectors.map((c) => [c.ref, c.amps]));
}

/** The chargers' imbalance: heaviest minus lightest phase of their total. */
export function spreadOf(allocation: Allocation): number {
  const t = allocation.totalAmps;
  return Math.round((Math.max(...t) - Math.min(...t)) * 10) / 10;
}

/** An active 3-phase connector `<chargerId>/1` at 6 A, a fair share, with the given fields changed. */
export function activeConnector(chargerId: string, over: Partial<ConnectorAllocation> = {}): ConnectorAllocation {
  return {
    ref: `${chargerId}/1`,
    chargerId,
    connectorId: 1,
    amps: 6,
    phaseAmps: [6, 6, 6],
    phases: 3,
    activity: 'active',
    since: 0,
    changedAt: 0,
    reason: 'fairShare',
    vip: false,
    priority: 0,
    ...over,
  };
}
