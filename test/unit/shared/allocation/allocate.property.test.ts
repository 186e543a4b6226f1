import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, Allocator } from '../../../../shared/allocation/allocator';
import type { Allocation, ConnectorAllocation } from '../../../../shared/allocation/allocation-types';
import { expectedPhaseMask, limitsOf, safetyViolations, usageOf } from '../../../support/allocation-invariants';
import { caseArb, type Case } from '../../../support/site-arbitraries';

const controlled = (a: ConnectorAllocation) =>
  a.reason !== 'offline' && a.reason !== 'unresponsive' && a.reason !== 'idle';

/** The connectors' class as the allocator ranks them: VIP above every priority level. */
const classOf = (a: ConnectorAllocation, c: Case) => (a.vip ? 100 : c.policy.distribution !== 'equal' ? a.priority : 0);

function minAmpsOf(c: Case, a: ConnectorAllocation): number {
  const charger = c.snapshot.site.chargers.find((ch) => ch.id === a.chargerId)!;
  const connector = charger.connectors.find((k) => k.id === a.connectorId)!;
  return connector.minAmps ?? charger.minAmps;
}

/** Limits under which `a` could not get one more step (or its minimum, when paused). */
function blockingLimits(c: Case, allocation: Allocation, a: ConnectorAllocation, extraAmps: number) {
  const step = c.policy.granularityAmps;
  const mask = expectedPhaseMask(c.snapshot, c.policy, a.ref, c.now);
  return limitsOf(c.snapshot, c.policy, allocation, c.now).filter((limit) => {
    if (!limit.members.includes(a)) return false;
    if (limit.phase !== undefined && (mask & (1 << limit.phase)) === 0) return false;
    const perAmp = limit.phase === undefined ? a.phases * c.snapshot.site.nominalVolts : 1;
    return usageOf(limit) + perAmp * (extraAmps || step) > limit.capacity + 1e-6;
  });
}

/**
 * A fixed seed keeps CI reproducible; `ALLOC_SEED=random` explores. Seed -1941133634 (a 3-phase car one step short of
 * a kW budget while the imbalance limit bound exactly: power a trade freed was handed to no one) passes since the fix
 * and is pinned in allocate.regressions.test.ts.
 */
const SEED = process.env.ALLOC_SEED === 'random' ? undefined : Number(process.env.ALLOC_SEED ?? 20_261_202);
const runs = (numRuns: number) => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });

describe('allocate (properties)', () => {
  it('should never exceed any circuit, charger or budget limit on any phase, nor give 0 < amps < minimum', () => {
    fc.assert(
      fc.property(caseArb(40), (c) => {
        const allocation = allocate(c.snapshot, c.policy, c.now);
        expect(safetyViolations(c.snapshot, c.policy, allocation, c.now)).toEqual([]);
      }),
      runs(400),
    );
  });

  it('should stay safe on sites of up to a thousand connectors', () => {
    fc.assert(
      fc.property(caseArb(500), (c) => {
        const allocation = allocate(c.snapshot, c.policy, c.now);
        expect(safetyViolations(c.snapshot, c.policy, allocation, c.now)).toEqual([]);
      }),
      runs(15),
    );
  });

  it('should stay safe round after round, with the previous allocation fed back', () => {
    fc.assert(
      fc.property(
        caseArb(30),
        fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 4 }),
        (c, gaps) => {
          // One allocator for every round, as the control loop holds one.
          const allocator = new Allocator();
          let previous = allocator.allocate(c.snapshot, c.policy, c.now);
          let now = c.now;
          for (const gap of gaps) {
            now += gap * 1000;
            const snapshot = { ...c.snapshot, previous };
            previous = allocator.allocate(snapshot, c.policy, now);
            const meters = c.snapshot.meters.map((m) => ({ ...m, at: m.at + (now - c.now) }));
            // Own draw is subtracted from the meter only with a previous allocation; check against the fuse alone here.
            const fuseOnly = { ...c.policy, control: { mode: 'static' as const } };
            const safety = safetyViolations(
              { ...snapshot, meters },
              c.policy.control.mode === 'dynamic' ? fuseOnly : c.policy,
              previous,
              now,
            );
            expect(safety).toEqual([]);
          }
        },
      ),
      runs(150),
    );
  });

  it("should stay safe round after round while the cars' draw changes (a capped car keeps its old limit only where it fits)", () => {
    const ampsArb = fc.integer({ min: 0, max: 400 }).map((a) => a / 10);
    const drawArb = fc.option(fc.tuple(ampsArb, ampsArb, ampsArb), { nil: undefined });
    const roundArb = fc.record({
      gap: fc.integer({ min: 1, max: 120 }),
      draws: fc.array(drawArb, { minLength: 8, maxLength: 8 }),
    });
    fc.assert(
      fc.property(caseArb(30), fc.array(roundArb, { minLength: 2, maxLength: 6 }), (c, rounds) => {
        // Each round the cars draw something else, sampled a second before it: closed loop caps some, frees others.
        const drawing = (now: number, draws: readonly ([number, number, number] | undefined)[]): Case['snapshot'] => ({
          ...c.snapshot,
          connectors: c.snapshot.connectors.map((s, i) => {
            const draw = draws[i % draws.length];
            return s.session === undefined || draw === undefined
              ? s
              : { ...s, session: { ...s.session, measured: { amps: draw, at: now - 1000 } } };
          }),
        });
        const allocator = new Allocator();
        let now = c.now;
        let previous = allocator.allocate(c.snapshot, c.policy, now);
        for (const { gap, draws } of rounds) {
          now += gap * 1000;
          const snapshot = { ...drawing(now, draws), previous };
          previous = allocator.allocate(snapshot, c.policy, now);
          const meters = c.snapshot.meters.map((m) => ({ ...m, at: m.at + (now - c.now) }));
          const fuseOnly = { ...c.policy, control: { mode: 'static' as const } };
          const policy = c.policy.control.mode === 'dynamic' ? fuseOnly : c.policy;
          expect(safetyViolations({ ...snapshot, meters }, policy, previous, now)).toEqual([]);
        }
      }),
      runs(150),
    );
  });

  it('should pause a car only when its minimum does not fit, even with every lower class on that limit paused', () => {
    fc.assert(
      fc.property(caseArb(40), (c) => {
        const allocation = allocate(c.snapshot, c.policy, c.now);
        for (const p of allocation.connectors.filter(
          (a) => a.reason === 'pausedNoBudget' || a.reason === 'pausedMeterLost',
        )) {
          const min = minAmpsOf(c, p);
          const blocking = blockingLimits(c, allocation, p, min);
          expect(blocking.length, `${p.ref} is paused though its minimum fits`).toBeGreaterThan(0);
          const perAmp = (phase: number | undefined) =>
            phase === undefined ? p.phases * c.snapshot.site.nominalVolts : 1;
          const withoutLower = blocking.some((limit) => {
            const kept = limit.members.filter((q) => !controlled(q) || classOf(q, c) >= classOf(p, c));
            return kept.reduce((sum, q) => sum + limit.usage(q), 0) + perAmp(limit.phase) * min > limit.capacity + 1e-6;
          });
          expect(withoutLower, `${p.ref} waits though pausing lower classes would make room`).toBe(true);
        }
      }),
      runs(300),
    );
  });

  it('should leave no budget unused while a car below its maximum could take one more step', () => {
    fc.assert(
      fc.property(caseArb(40), (c) => {
        const allocation = allocate(c.snapshot, c.policy, c.now);
        for (const a of allocation.connectors) {
          if (a.activity !== 'active' || !controlled(a) || a.boundBy === 'charger' || a.boundBy === 'car') continue;
          if (c.policy.phaseImbalance.maxAmps !== null && a.phases < 3) continue;
          const blocking = blockingLimits(c, allocation, a, 0);
          const imbalance = a.reason === 'imbalanceLimited' || a.boundBy?.startsWith('imbalance');
          expect(blocking.length > 0 || imbalance, `${a.ref} at ${a.amps} A could take more`).toBe(true);
        }
      }),
      runs(300),
    );
  });

  it('should give equal-class cars under the same limits amounts at most one step apart', () => {
    fc.assert(
      fc.property(caseArb(40), (c) => {
        const allocation = allocate(c.snapshot, c.policy, c.now);
        const groups = new Map<string, ConnectorAllocation[]>();
        for (const a of allocation.connectors) {
          if (
            a.activity !== 'active' ||
            !controlled(a) ||
            a.boundBy === 'charger' ||
            a.boundBy === 'car' ||
            a.reason === 'imbalanceLimited'
          )
            continue;
          const charger = c.snapshot.site.chargers.find((ch) => ch.id === a.chargerId)!;
          const key = [
            classOf(a, c),
            charger.circuit,
            a.phaseAmps.map((x) => x > 0).join(),
            charger.connectors.length > 1 ? charger.id : '',
            minAmpsOf(c, a),
          ].join('|');
          groups.set(key, [...(groups.get(key) ?? []), a]);
        }
        for (const members of groups.values()) {
          const amps = members.map((a) => a.amps);
          expect(Math.max(...amps) - Math.min(...amps)).toBeLessThanOrEqual(c.policy.granularityAmps + 1e-9);
        }
      }),
      runs(300),
    );
  });

  it('should give the same output for the same input, from a fresh allocator or one that allocated before', () => {
    fc.assert(
      fc.property(caseArb(30), (c) => {
        const allocator = new Allocator();
        const first = allocator.allocate(c.snapshot, c.policy, c.now);
        expect(allocator.allocate(c.snapshot, c.policy, c.now)).toEqual(first);
        expect(allocate(structuredClone(c.snapshot), structuredClone(c.policy), c.now)).toEqual(first);
      }),
      runs(100),
    );
  });

  it('should treat its own previous allocation and a copy read back from storage alike', () => {
    // Measurements follow each round, so closed loop, hysteresis and the minimum times all read the previous round.
    const at = (c: Case, now: number): Case['snapshot'] => ({
      ...c.snapshot,
      connectors: c.snapshot.connectors.map((s) =>
        s.session?.measured
          ? { ...s, session: { ...s.session, measured: { ...s.session.measured, at: now - 1000 } } }
          : s,
      ),
    });
    fc.assert(
      fc.property(
        caseArb(30),
        fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 2, maxLength: 4 }),
        (c, gaps) => {
          // The allocator that built `previous` reads it from the arrays it kept; the copy is read back field by field.
          const allocator = new Allocator();
          let now = c.now;
          let previous = allocator.allocate(at(c, now), c.policy, now);
          for (const gap of gaps) {
            now += gap * 1000;
            const stored = JSON.parse(JSON.stringify(previous)) as Allocation;
            const fromOwn = allocator.allocate({ ...at(c, now), previous }, c.policy, now);
            const fromCopy = allocator.allocate({ ...at(c, now), previous: stored }, c.policy, now);
            expect(JSON.parse(JSON.stringify(fromOwn))).toEqual(JSON.parse(JSON.stringify(fromCopy)));
            previous = fromOwn;
          }
        },
      ),
      runs(150),
    );
  });
});
