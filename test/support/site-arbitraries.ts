/** fast-check generators of random sites, policies and runtime states for the allocator's property tests. */
import fc from 'fast-check';
import type { SiteSnapshot } from '../../shared/allocation/allocation-types';
import { PolicySchema, type Policy } from '../../shared/policy/policy-schema';
import { SiteSchema, type SiteInput } from '../../shared/site/site-schema';
import {
  CONNECTOR_STATUSES,
  REQUESTING_STATUSES,
  type ConnectorState,
  type MeterReading,
} from '../../shared/site/site-state';
import { PHASE_ROTATIONS } from '../../shared/units';

export const NOW = Date.UTC(2026, 10, 20, 17, 30);

export interface Case {
  readonly snapshot: SiteSnapshot;
  readonly policy: Policy;
  readonly now: number;
}

const fuse = fc.oneof(
  fc.integer({ min: 0, max: 400 }),
  fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 })),
);

/** A circuit tree of up to three levels below the grid connection. */
const circuitsArb = fc.integer({ min: 0, max: 6 }).chain((extra) =>
  fc
    .tuple(fuse, fc.array(fc.tuple(fuse, fc.nat(), fc.boolean()), { minLength: extra, maxLength: extra }))
    .map(([rootFuse, rest]) => [
      { id: 'grid', parent: null, fuseAmps: rootFuse, meterId: 'grid-meter' },
      ...rest.map(([f, parentPick, metered], i) => ({
        id: `c${i}`,
        parent: parentPick % (i + 1) === 0 ? 'grid' : `c${(parentPick % (i + 1)) - 1}`,
        fuseAmps: f,
        ...(metered ? { meterId: `m${i}` } : {}),
      })),
    ]),
);

const chargerArb = (index: number, circuits: number) =>
  fc
    .record({
      circuit: fc.integer({ min: 0, max: circuits - 1 }),
      phases: fc.constantFrom(1 as const, 3 as const),
      phaseRotation: fc.constantFrom(...PHASE_ROTATIONS),
      maxAmps: fc.integer({ min: 6, max: 63 }),
      minAmps: fc.constantFrom(6, 6, 6, 8, 10),
      priority: fc.integer({ min: 0, max: 3 }),
      vip: fc.boolean(),
      connectors: fc.integer({ min: 1, max: 2 }),
      cableAmps: fc.option(fc.integer({ min: 10, max: 32 }), { nil: undefined }),
    })
    .map((c) => ({
      id: `CP${index}`,
      circuit: c.circuit === 0 ? 'grid' : `c${c.circuit - 1}`,
      phases: c.phases,
      phaseRotation: c.phaseRotation,
      maxAmps: Math.max(c.maxAmps, c.minAmps),
      minAmps: c.minAmps,
      priority: c.priority,
      vip: c.vip && index % 5 === 0,
      connectors: Array.from({ length: c.connectors }, (_, k) => ({
        id: k + 1,
        ...(c.cableAmps !== undefined && c.cableAmps >= c.minAmps ? { maxAmps: c.cableAmps } : {}),
      })),
    }));

const siteArb = (maxChargers: number) =>
  circuitsArb.chain((circuits) =>
    fc
      .integer({ min: 1, max: maxChargers })
      .chain((count) =>
        fc
          .tuple(...Array.from({ length: count }, (_, i) => chargerArb(i, circuits.length)))
          .map(
            (chargers): SiteInput => ({ $schemaVersion: 1, id: 'site', timezone: 'Europe/Berlin', circuits, chargers }),
          ),
      ),
  );

const policyArb = fc
  .record({
    distribution: fc.constantFrom('equal' as const, 'priority' as const, 'priorityStrict' as const),
    unit: fc.constantFrom('kW' as const, 'A' as const),
    max: fc.integer({ min: 7, max: 500 }),
    dynamic: fc.boolean(),
    gridLimit: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
    margin: fc.integer({ min: 0, max: 5 }),
    fallback: fc.integer({ min: 0, max: 40 }),
    closedLoop: fc.boolean(),
    vip: fc.boolean(),
    imbalance: fc.option(fc.integer({ min: 6, max: 32 }), { nil: null }),
    granularity: fc.constantFrom(0.1 as const, 0.5 as const, 1 as const),
    failSafe: fc.constantFrom(0, 6, 10),
    rotation: fc.constantFrom(0, 900),
  })
  .map((p) =>
    PolicySchema.parse({
      $schemaVersion: 1,
      distribution: p.distribution,
      budget: { unit: p.unit, min: 0, max: p.max },
      control: p.dynamic
        ? {
            mode: 'dynamic',
            safetyMarginAmps: p.margin,
            staleMeter: { afterSeconds: 10, fallbackAmps: p.fallback },
            ...(p.gridLimit === undefined ? {} : { gridLimitAmps: p.gridLimit }),
          }
        : { mode: 'static' },
      closedLoop: { enabled: p.closedLoop },
      vip: { enabled: p.vip, idTags: ['VIP-TAG'] },
      priorityLevels: [{ level: 5, idTags: ['PRIO-TAG'] }],
      phaseImbalance: { maxAmps: p.imbalance },
      granularityAmps: p.granularity,
      failSafe: { connectorAmps: p.failSafe },
      rotation: { intervalSeconds: p.rotation },
    }),
  );

const amps = fc.integer({ min: 0, max: 400 }).map((a) => a / 10);
const stateArb = (ref: string, index: number) =>
  fc
    .record({
      status: fc.constantFrom(...CONNECTOR_STATUSES, 'Charging', 'Charging', 'Charging', 'SuspendedEVSE'),
      link: fc.constantFrom(
        'online' as const,
        'online' as const,
        'online' as const,
        'online' as const,
        'offline' as const,
        'unresponsive' as const,
      ),
      hasSession: fc.boolean(),
      idTag: fc.constantFrom('TAG', 'VIP-TAG', 'PRIO-TAG'),
      energyWh: fc.integer({ min: 0, max: 50_000 }),
      measured: fc.option(fc.tuple(amps, amps, amps), { nil: undefined }),
      carPhases: fc.option(fc.constantFrom(1 as const, 2 as const, 3 as const), { nil: undefined }),
    })
    .map(
      (s): ConnectorState => ({
        ref,
        status: s.status,
        link: s.link,
        ...(s.hasSession || s.status === 'Charging'
          ? {
              session: {
                id: `tx-${index}`,
                idTag: s.idTag,
                startedAt: NOW - 3_600_000,
                energyWh: s.energyWh,
                ...(s.measured ? { measured: { amps: s.measured, at: NOW - 5_000 } } : {}),
                ...(s.carPhases ? { carPhases: s.carPhases } : {}),
              },
            }
          : {}),
      }),
    );

const meterArb = (id: string) =>
  fc
    .record({
      amps: fc.tuple(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
      ),
      age: fc.constantFrom(1, 2, 30),
      valid: fc.boolean(),
    })
    .map((m): MeterReading => ({ meterId: id, amps: m.amps, at: NOW - m.age * 1000, valid: m.valid || m.age === 2 }));

/** A random site with up to `maxChargers` chargers, a random policy and a random moment of its life. */
export function caseArb(maxChargers: number): fc.Arbitrary<Case> {
  return fc.tuple(siteArb(maxChargers), policyArb).chain(([siteInput, policy]) => {
    const site = SiteSchema.parse(siteInput);
    const refs = site.chargers.flatMap((ch) => ch.connectors.map((c) => `${ch.id}/${c.id}`));
    const meterIds = site.circuits.flatMap((c) => (c.meterId ? [c.meterId] : []));
    return fc
      .tuple(fc.tuple(...refs.map((ref, i) => stateArb(ref, i))), fc.tuple(...meterIds.map(meterArb)))
      .map(([connectors, meters]): Case => ({ snapshot: { site, connectors, meters }, policy, now: NOW }));
  });
}

/**
 * A random small site in one round without history, static control and no closed loop: what the reference allocator
 * (`reference-allocator.ts`) covers. Fuses and budgets stay small so that filling one step at a time stays quick.
 */
export function referenceCaseArb(maxChargers: number): fc.Arbitrary<Case> {
  return fc.tuple(caseArb(maxChargers), fc.integer({ min: 6, max: 120 })).map(([c, scale]): Case => {
    const shrink = (amps: number) => Math.min(amps, scale);
    const site = {
      ...c.snapshot.site,
      circuits: c.snapshot.site.circuits.map((k) => ({
        ...k,
        fuseAmps:
          typeof k.fuseAmps === 'number' ? shrink(k.fuseAmps) : (k.fuseAmps.map(shrink) as [number, number, number]),
      })),
    };
    const budgetMax =
      c.policy.budget.unit === 'A'
        ? Math.min(c.policy.budget.max, scale)
        : Math.min(c.policy.budget.max, (scale * 3 * 230) / 1000);
    const policy: Policy = {
      ...c.policy,
      control: { mode: 'static' },
      closedLoop: { ...c.policy.closedLoop, enabled: false },
      budget: { ...c.policy.budget, max: budgetMax },
      schedules: [],
    };
    // An offline charger with no car asking for current reserves nothing here: keep the reference to cars that do.
    const connectors = c.snapshot.connectors.map((s) =>
      s.link === 'offline' && !(s.session && REQUESTING_STATUSES.has(s.status)) ? { ...s, link: 'online' as const } : s,
    );
    return { snapshot: { ...c.snapshot, site, connectors }, policy, now: c.now };
  });
}
