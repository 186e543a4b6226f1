/** Builds large sites with every allocator feature on, for benchmarks: 3 phases, a 3-level circuit tree, VIPs, closed loop. */
import type { Allocation, SiteSnapshot } from '../shared/allocation/allocation-types';
import { PolicySchema, type Policy } from '../shared/policy/policy-schema';
import { formatConnectorRef } from '../shared/site/connector-ref';
import { SiteSchema } from '../shared/site/site-schema';
import type { ConnectorState } from '../shared/site/site-state';
import { PHASE_ROTATIONS } from '../shared/units';

export const BENCH_NOW = Date.UTC(2026, 10, 20, 17, 30);

/** A deterministic pseudo-random sequence (mulberry32), so every run measures the same site. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A site of `connectors` connectors: grid, 1 board per 100 connectors, 1 sub-board per 20, chargers of 2 connectors. */
export function largeSite(connectors: number): { snapshot: SiteSnapshot; policy: Policy } {
  const rnd = random(connectors);
  const boards = Math.max(1, Math.ceil(connectors / 100));
  const subBoards = Math.max(1, Math.ceil(connectors / 20));
  const circuits = [
    { id: 'grid', parent: null, fuseAmps: Math.min(100_000, Math.max(63, connectors * 14)), meterId: 'grid-meter' },
    ...Array.from({ length: boards }, (_, b) => ({ id: `board-${b}`, parent: 'grid', fuseAmps: 800 })),
    ...Array.from({ length: subBoards }, (_, s) => ({ id: `sub-${s}`, parent: `board-${s % boards}`, fuseAmps: 160 })),
  ];
  const chargers = Array.from({ length: Math.ceil(connectors / 2) }, (_, c) => ({
    id: `CP-${c}`,
    circuit: `sub-${c % subBoards}`,
    phases: rnd() < 0.15 ? (1 as const) : (3 as const),
    phaseRotation: PHASE_ROTATIONS[c % 3]!,
    maxAmps: rnd() < 0.5 ? 32 : 16,
    vip: c % 25 === 0,
    connectors: [{ id: 1 }, { id: 2 }],
  }));
  const site = SiteSchema.parse({ $schemaVersion: 1, id: 'bench', timezone: 'Europe/Berlin', circuits, chargers });
  const policy = PolicySchema.parse({
    $schemaVersion: 1,
    distribution: 'priority',
    budget: { unit: 'kW', min: 10, max: connectors * 7 },
    control: { mode: 'dynamic', safetyMarginAmps: 3 },
    closedLoop: { enabled: true },
    vip: { enabled: true, idTags: ['VIP-1'] },
    priorityLevels: [{ level: 3, idTags: ['FLEET-1'] }],
    phaseImbalance: { maxAmps: 20 },
  });
  const states: ConnectorState[] = site.chargers.flatMap((ch) =>
    ch.connectors.map((k, i): ConnectorState => {
      const charging = rnd() < 0.8;
      const draw = 6 + rnd() * 10;
      return {
        ref: formatConnectorRef(ch.id, k.id),
        status: charging ? 'Charging' : 'Available',
        link: 'online',
        ...(charging
          ? {
              session: {
                id: `${ch.id}-${i}`,
                idTag: rnd() < 0.05 ? 'VIP-1' : rnd() < 0.1 ? 'FLEET-1' : 'USER',
                startedAt: BENCH_NOW - 3_600_000,
                energyWh: Math.round(rnd() * 40_000),
                measured: { amps: [draw, draw, draw], at: BENCH_NOW - 2_000 },
              },
            }
          : {}),
      };
    }),
  );
  const meters = [
    {
      meterId: 'grid-meter',
      amps: [connectors * 3, connectors * 3, connectors * 3] as [number, number, number],
      at: BENCH_NOW - 500,
      valid: true,
    },
  ];
  return { snapshot: { site, connectors: states.slice(0, connectors), meters }, policy };
}

/** The snapshot `seconds` later, with fresh readings and the previous allocation fed back (hysteresis, closed loop, timers). */
export function nextRound(snapshot: SiteSnapshot, previous: Allocation, seconds: number): SiteSnapshot {
  const shift = seconds * 1000;
  return {
    ...snapshot,
    meters: snapshot.meters.map((m) => ({ ...m, at: m.at + shift })),
    connectors: snapshot.connectors.map((c) =>
      c.session?.measured
        ? { ...c, session: { ...c.session, measured: { ...c.session.measured, at: c.session.measured.at + shift } } }
        : c,
    ),
    previous,
  };
}
