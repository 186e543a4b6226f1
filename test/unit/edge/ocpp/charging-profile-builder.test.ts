import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createValidator } from 'ocpp-rpc';
import schemas from 'ocpp-rpc/lib/schemas/ocpp1_6.json';
import { AppError } from '../../../../shared/errors';
import { ChargingProfileSchema } from '../../../../edge/ocpp/charging-profile';
import {
  buildFailSafeProfile,
  buildIdleHoldProfile,
  buildLeaseProfile,
  chooseRateUnit,
  scheduleLimit,
} from '../../../../edge/ocpp/charging-profile-builder';
import { SimProfileSchema } from '../../../../sim/charger/charger-messages';
import { ChargerProfiles } from '../../../../sim/charger/charger-profiles';

const official = createValidator('ocpp1.6', schemas) as { validate(id: string, payload: unknown): boolean };
const NOW = Date.UTC(2025, 5, 1, 8, 30, 15, 400);
const AMPS = { rateUnit: 'A' as const, nominalVolts: 230 };
const WATTS = { rateUnit: 'W' as const, nominalVolts: 230 };

describe('charging profile builder', () => {
  it.each([
    ['Current', 'A'],
    ['Current,Power', 'A'],
    ['Power', 'W'],
    [' power ', 'W'],
    [undefined, 'A'],
  ] as const)('should choose %s -> %s', (allowed, unit) => {
    expect(chooseRateUnit(allowed)).toBe(unit);
  });

  it('should build the fail-safe default at stack level 0 on connector 0 without expiry', () => {
    const profile = buildFailSafeProfile({ amps: 6, phases: 3, minAmps: 6 }, AMPS);

    expect(profile).toEqual({
      chargingProfileId: 1,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: {
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 6, numberPhases: 3 }],
      },
    });
  });

  it('should build a lease that ends by validity and by schedule duration', () => {
    const profile = buildLeaseProfile(
      { connectorId: 2, transactionId: 42, amps: 13.37, phases: 1, minAmps: 6, leaseSeconds: 120 },
      AMPS,
      NOW,
    );

    expect(profile).toMatchObject({
      chargingProfileId: 102,
      transactionId: 42,
      stackLevel: 1,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Absolute',
      validFrom: '2025-06-01T08:25:15Z',
      validTo: '2025-06-01T08:32:15Z',
      chargingSchedule: {
        startSchedule: '2025-06-01T08:25:15Z',
        duration: 420,
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 13.3, numberPhases: 1 }],
      },
    });
  });

  it('should build a lease whose last period is the fail-safe, with no end, when it has a fallback', () => {
    const profile = buildLeaseProfile(
      { connectorId: 1, transactionId: 7, amps: 20, phases: 3, minAmps: 6, leaseSeconds: 120, fallbackAmps: 6 },
      AMPS,
      NOW,
    );

    expect(profile).toEqual({
      chargingProfileId: 101,
      transactionId: 7,
      stackLevel: 1,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Absolute',
      validFrom: '2025-06-01T08:25:15Z',
      chargingSchedule: {
        startSchedule: '2025-06-01T08:25:15Z',
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 20, numberPhases: 3 },
          { startPeriod: 420, limit: 6, numberPhases: 3 },
        ],
      },
    });
    expect(official.validate('urn:SetChargingProfile.req', { connectorId: 1, csChargingProfiles: profile })).toBe(true);
  });

  it('should let a lease fall back to 0 rather than to a fail-safe below the car minimum', () => {
    const profile = buildLeaseProfile(
      { connectorId: 1, transactionId: 7, amps: 20, phases: 3, minAmps: 8, leaseSeconds: 60, fallbackAmps: 6 },
      AMPS,
      NOW,
    );

    expect(profile.chargingSchedule.chargingSchedulePeriod[1]).toEqual({ startPeriod: 360, limit: 0, numberPhases: 3 });
  });

  it('should build the idle hold: 0 A on connector 0 one level above the fail-safe, for its length', () => {
    const profile = buildIdleHoldProfile(240, AMPS, NOW);

    expect(profile).toEqual({
      chargingProfileId: 2,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      validFrom: '2025-06-01T08:25:15Z',
      validTo: '2025-06-01T08:34:15Z',
      chargingSchedule: {
        startSchedule: '2025-06-01T08:25:15Z',
        duration: 540,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }],
      },
    });
    expect(official.validate('urn:SetChargingProfile.req', { connectorId: 0, csChargingProfiles: profile })).toBe(true);
  });

  describe('as a charger whose clock is off by up to five minutes applies them (its own profile store)', () => {
    const FAIL_SAFE = 10;
    const tx = { connectorId: 1, transactionId: 7, startedAt: NOW - 600_000 };
    /** The charger's store after our fail-safe, hold and a 6 A lease sent at NOW, read at our `at` by its clock. */
    const chargerAt = (skewMs: number, withTail: boolean) => {
      const store = new ChargerProfiles({ maxStackLevel: 2, rateUnits: ['A'], volts: 230, phases: 3 });
      const install = (connectorId: number, profile: unknown) =>
        store.set(connectorId, SimProfileSchema.parse(profile), tx);
      install(0, buildFailSafeProfile({ amps: FAIL_SAFE, phases: 3, minAmps: 6 }, AMPS));
      install(0, buildIdleHoldProfile(240, AMPS, NOW));
      const lease = { connectorId: 1, transactionId: 7, amps: 6, phases: 3, minAmps: 6, leaseSeconds: 120 } as const;
      install(1, buildLeaseProfile(withTail ? { ...lease, fallbackAmps: FAIL_SAFE } : lease, AMPS, NOW));
      return {
        leaseLimit: (at: number) => store.limitAmpsAt(1, at + skewMs, tx),
        /** What a car that plugs into connector 2 at `at` gets. */
        idleLimit: (at: number) =>
          store.limitAmpsAt(2, at + skewMs, { connectorId: 2, transactionId: 8, startedAt: at + skewMs }),
      };
    };

    it.each([-300_000, -60_000, 0, 15_000])(
      'should put a cut below the fail-safe and the hold in force at once, with the clock off by %d ms',
      (skewMs) => {
        for (const withTail of [true, false]) {
          const charger = chargerAt(skewMs, withTail);
          // Before the fix: a charger 60 s behind ran the 10 A fail-safe (the lease was not yet valid by its clock).
          expect(charger.leaseLimit(NOW + 1_000)).toBe(6);
          expect(charger.leaseLimit(NOW + 100_000)).toBe(6);
          expect(charger.idleLimit(NOW + 1_000)).toBe(0);
        }
      },
    );

    it('should end the lease and the hold where they end by our clock, on a charger whose clock is right', () => {
      const charger = chargerAt(0, true);
      expect(charger.leaseLimit(NOW + 119_000)).toBe(6);
      expect(charger.leaseLimit(NOW + 121_000)).toBe(FAIL_SAFE);
      expect(charger.idleLimit(NOW + 239_000)).toBe(0);
      expect(charger.idleLimit(NOW + 241_000)).toBe(FAIL_SAFE);
      expect(chargerAt(0, false).leaseLimit(NOW + 121_000)).toBe(0);
    });
  });

  it('should convert amps to watts with nominal volts and phases', () => {
    expect(scheduleLimit({ amps: 16, phases: 3, minAmps: 6 }, WATTS)).toBe(11040);
    expect(scheduleLimit({ amps: 10, phases: 1, minAmps: 6 }, { rateUnit: 'W', nominalVolts: 220 })).toBe(2200);
  });

  it.each([3, -1, Number.NaN])('should refuse a limit of %s A (neither 0 nor at least the minimum)', (amps) => {
    expect(() => scheduleLimit({ amps, phases: 3, minAmps: 6 }, AMPS)).toThrow(AppError);
  });

  it('should allow a pause at 0 A', () => {
    expect(scheduleLimit({ amps: 0, phases: 3, minAmps: 6 }, AMPS)).toBe(0);
  });

  it('should refuse a lease that is not a whole positive number of seconds', () => {
    expect(() =>
      buildLeaseProfile(
        { connectorId: 1, transactionId: 1, amps: 6, phases: 3, minAmps: 6, leaseSeconds: 0 },
        AMPS,
        NOW,
      ),
    ).toThrow(AppError);
  });

  it('should never exceed the allocation and always be a valid OCPP limit', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 6, max: 500, noNaN: true }),
        fc.constantFrom(1, 2, 3),
        fc.constantFrom(AMPS, WATTS),
        (amps, phases, rate) => {
          const profile = buildLeaseProfile(
            { connectorId: 1, transactionId: 1, amps, phases: phases, minAmps: 6, leaseSeconds: 60 },
            rate,
            NOW,
          );
          const limit = profile.chargingSchedule.chargingSchedulePeriod[0]!.limit;
          const allowed = rate.rateUnit === 'A' ? amps : amps * phases * 230;
          expect(limit).toBeLessThanOrEqual(allowed + 1e-9);
          expect(allowed - limit).toBeLessThan(0.1 + 1e-9);
          expect(ChargingProfileSchema.safeParse(profile).success).toBe(true);
          expect(official.validate('urn:SetChargingProfile.req', { connectorId: 1, csChargingProfiles: profile })).toBe(
            true,
          );
        },
      ),
    );
  });
});
