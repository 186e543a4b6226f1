/**
 * The promise over random CSMS profile stacks and site allocations: the limit in force never exceeds the lower
 * of the CSMS's and the site's, and equals it when nothing else binds. Checked against an independent, naive reading
 * of OCPP 1.6 stacking (csms-oracle.ts), for the lease the agent sends and for the composite schedule it reports.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LeaseRequest } from '../../../../edge/control/control-ports';
import { ChargerConnections } from '../../../../edge/ocpp/charger-connections';
import { OcppLeaseSender } from '../../../../edge/ocpp/lease-sender';
import type { RpcServerClient } from '../../../../edge/ocpp/rpc-server-client';
import { compositeSchedule } from '../../../../edge/upstream/composite-schedule';
import { CsmsLimits } from '../../../../edge/upstream/csms-limits';
import { ManualClock } from '../../../../sim/charger/sim-clock';
import { OracleStack } from './csms-oracle';
import { setProfile, T0, type ProfileOptions } from './csms-profiles';

const SEED = process.env.CSMS_LIMITS_SEED === 'random' ? undefined : Number(process.env.CSMS_LIMITS_SEED ?? 20_261_203);
const runs = (n: number) => ({
  numRuns: Number(process.env.CSMS_LIMITS_RUNS ?? n),
  ...(SEED === undefined ? {} : { seed: SEED }),
});

const CHARGER = 'CP-1';
const TX = 41;
const VOLTS = 230;
const MIN_AMPS = 6;

/** Mostly absent, so that most profiles hold most of the time. */
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, arb);

/** A whole-second instant within half a day of T0, as OCPP writes it. */
const isoArb = fc.integer({ min: -12 * 3600, max: 12 * 3600 }).map((s) => new Date(T0 + s * 1000).toISOString());

/** Up to four periods with increasing startPeriod; the first starts at 0, or (startsLate) later, leaving a gap before it. */
const periodsArb = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.tuple(
        // Short gaps often, so that leases and windows cross period changes.
        fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 4 * 3600 })),
        fc.integer({ min: 0, max: 40_000 }),
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([startsLate, raw]) => {
    let start = 0;
    return raw.map(([gap, limit, phases], i) => {
      start = i === 0 && !startsLate ? 0 : start + gap;
      return [start, limit, phases] as const;
    });
  });

const profileArb: fc.Arbitrary<ProfileOptions> = fc
  .record({
    id: fc.integer({ min: 1, max: 6 }),
    purpose: fc.constantFrom('ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile' as const),
    connectorId: fc.constantFrom(0, 1, 2),
    stackLevel: fc.integer({ min: 0, max: 3 }),
    kind: fc.constantFrom('Absolute', 'Recurring', 'Relative' as const),
    recurrencyKind: fc.constantFrom('Daily', 'Weekly' as const),
    validFrom: sometimes(isoArb),
    validTo: sometimes(isoArb),
    transactionId: fc.option(fc.constant(TX), { nil: undefined }),
    startSchedule: fc.option(isoArb, { nil: undefined }),
    duration: sometimes(fc.integer({ min: 60, max: 2 * 86_400 })),
    unit: fc.constantFrom('A', 'W' as const),
    periods: periodsArb,
  })
  .map((p) => ({
    ...p,
    connectorId: p.purpose === 'ChargePointMaxProfile' ? 0 : p.purpose === 'TxProfile' ? 1 : p.connectorId,
    // Amps stay within what a charger can take; watts use the whole range.
    periods: p.periods.map(([start, limit, phases]) => [start, p.unit === 'A' ? limit % 81 : limit, phases] as const),
  }));

const clearArb = fc.record(
  {
    id: fc.integer({ min: 1, max: 6 }),
    connectorId: fc.constantFrom(0, 1, 2),
    chargingProfilePurpose: fc.constantFrom('ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile' as const),
    stackLevel: fc.integer({ min: 0, max: 3 }),
  },
  { requiredKeys: [] },
);

const scenarioArb = fc.record({
  ops: fc.array(
    fc.oneof(
      { arbitrary: profileArb.map((p) => ({ set: p })), weight: 4 },
      clearArb.map((c) => ({ clear: c })),
    ),
    {
      minLength: 1,
      maxLength: 10,
    },
  ),
  txStartSeconds: fc.integer({ min: -12 * 3600, max: 12 * 3600 }),
  nowSeconds: fc.oneof(fc.integer({ min: 0, max: 1200 }), fc.integer({ min: 0, max: 12 * 3600 })),
  siteAmps: fc.oneof(
    { arbitrary: fc.constant(0), weight: 1 },
    { arbitrary: fc.integer({ min: MIN_AMPS, max: 63 }), weight: 5 },
  ),
  phases: fc.constantFrom(1, 2, 3 as const),
  leaseSeconds: fc.integer({ min: 1, max: 300 }),
  chargerMaxAmps: fc.integer({ min: MIN_AMPS, max: 80 }),
  rateUnit: fc.constantFrom('A', 'W' as const),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

/** The agent's CSMS model and the oracle, fed the same calls. */
async function build(s: Scenario) {
  const csms = new CsmsLimits({ nominalVolts: VOLTS, maxProfilesPerCharger: 8 });
  const oracle = new OracleStack();
  const txStart = T0 + s.txStartSeconds * 1000;
  csms.transactionStarted(CHARGER, 1, { transactionId: TX, startedAt: txStart });
  for (const op of s.ops) {
    if ('set' in op) {
      const payload = setProfile(op.set);
      if ((await csms.record(CHARGER, 'SetChargingProfile', payload)) === 'Accepted') oracle.set(payload);
    } else {
      await csms.record(CHARGER, 'ClearChargingProfile', op.clear);
      oracle.clear(op.clear);
    }
  }
  const now = txStart + s.nowSeconds * 1000;
  return { csms, now, csmsAt: (t: number) => oracle.limitAt(1, TX, txStart, t, s.phases) };
}

const tenths = (value: number) => Math.floor(value * 10 + 1e-9) / 10;
/** What OCPP carries for `amps`: 0 below the car's minimum, else rounded down to 0.1. */
const expected = (amps: number) => (amps < MIN_AMPS ? 0 : tenths(amps));

describe('CSMS limits and site limits over random stacks', () => {
  it('should send a lease no higher than the lower of the site and the CSMS at any instant of it, and equal to it', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { csms, now, csmsAt } = await build(s);
        const sent: {
          csChargingProfiles: {
            chargingSchedule: { chargingSchedulePeriod: { limit: number; numberPhases: number }[] };
          };
        }[] = [];
        const client = {
          call: (_m: string, params: never) => (sent.push(params), Promise.resolve({ status: 'Accepted' })),
        };
        const connections = new ChargerConnections();
        connections.set(CHARGER, {
          client: client as unknown as RpcServerClient,
          caller: client,
          openedAt: 0,
          capabilities: { rateUnit: s.rateUnit, maxStackLevel: 3, phaseRotation: undefined, numberOfConnectors: 2 },
        });
        const sender = new OcppLeaseSender(
          connections,
          { nominalVolts: VOLTS, commandTimeoutMs: 1000 },
          new ManualClock(now),
          csms,
        );
        const lease: LeaseRequest = {
          connectorId: 1,
          transactionId: TX,
          amps: s.siteAmps,
          phases: s.phases,
          minAmps: MIN_AMPS,
          leaseSeconds: s.leaseSeconds,
        };

        await sender.sendLease(CHARGER, lease);

        let lowest = { amps: s.siteAmps, phases: s.phases as number };
        for (let t = now; t < now + s.leaseSeconds * 1000; t += 1000) {
          const c = csmsAt(t);
          if (c) lowest = { amps: Math.min(lowest.amps, c.amps), phases: Math.min(lowest.phases, c.phases) };
        }
        const period = sent[0]?.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0];
        const sentAmps =
          s.rateUnit === 'A' ? (period?.limit ?? Number.NaN) : (period?.limit ?? Number.NaN) / (VOLTS * lowest.phases);
        expect(period?.numberPhases).toBe(lowest.phases);
        expect(sentAmps).toBeLessThanOrEqual(lowest.amps + 1e-9);
        const allowed = lowest.amps < MIN_AMPS ? 0 : lowest.amps;
        expect(period?.limit).toBe(tenths(s.rateUnit === 'A' ? allowed : allowed * VOLTS * lowest.phases));
      }),
      runs(300),
    );
  });

  it('should report a composite schedule that is, at every instant, the lowest of our lease, the CSMS and the charger', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        fc.integer({ min: 60, max: 2 * 86_400 }),
        fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
        async (s, durationSeconds, samples) => {
          const { csms, now, csmsAt } = await build(s);
          const to = now + durationSeconds * 1000;
          const leaseEnd = now + s.leaseSeconds * 1000;
          const failSafeAmps = MIN_AMPS;
          const conf = compositeSchedule({
            connectorId: 1,
            from: now,
            durationSeconds,
            chargingRateUnit: 'A',
            ours: [
              { at: now, amps: s.siteAmps },
              { at: leaseEnd, amps: failSafeAmps },
            ],
            csms: csms.ceilingSteps(CHARGER, 1, s.phases, now, to),
            chargerMaxAmps: s.chargerMaxAmps,
            phases: s.phases,
            minAmps: MIN_AMPS,
            nominalVolts: VOLTS,
          });
          const periods = conf.chargingSchedule?.chargingSchedulePeriod ?? [];
          expect(periods[0]?.startPeriod).toBe(0);
          for (const sample of [0, ...samples.map((n) => n % durationSeconds)]) {
            const t = now + sample * 1000;
            const inForce = periods.filter((p) => p.startPeriod <= sample).at(-1);
            const ours = t < leaseEnd ? s.siteAmps : failSafeAmps;
            const c = csmsAt(t);
            const bound = Math.min(ours, c?.amps ?? Number.POSITIVE_INFINITY, s.chargerMaxAmps);
            expect(inForce?.limit).toBeLessThanOrEqual(bound + 1e-9);
            expect(inForce?.limit).toBe(expected(bound));
            expect(inForce?.numberPhases).toBe(Math.min(s.phases, c?.phases ?? 3));
          }
        },
      ),
      runs(300),
    );
  });
});
