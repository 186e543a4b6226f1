import { describe, expect, it } from 'vitest';
import { ChargerProfiles, type RunningTransaction } from '../../../../sim/charger/charger-profiles';
import type { SimProfile } from '../../../../sim/charger/charger-messages';

const T0 = Date.UTC(2025, 0, 1, 12);
const TX: RunningTransaction = { connectorId: 1, transactionId: 7, startedAt: T0 };
const store = () => new ChargerProfiles({ maxStackLevel: 3, rateUnits: ['A', 'W'], volts: 230, phases: 3 });

function profile(overrides: Partial<SimProfile> & { limit?: number; unit?: 'A' | 'W'; duration?: number }): SimProfile {
  const { limit = 16, unit = 'A', duration, ...rest } = overrides;
  return {
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: {
      chargingRateUnit: unit,
      chargingSchedulePeriod: [{ startPeriod: 0, limit }],
      ...(duration !== undefined && { duration }),
    },
    ...rest,
  };
}

const lease = (id: number, limit: number, stackLevel: number, seconds: number): SimProfile =>
  profile({
    chargingProfileId: id,
    stackLevel,
    limit,
    chargingProfilePurpose: 'TxProfile',
    chargingProfileKind: 'Absolute',
    transactionId: 7,
    validFrom: T0,
    validTo: T0 + seconds * 1000,
    chargingSchedule: {
      startSchedule: T0,
      duration: seconds,
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit }],
    },
  });

describe('ChargerProfiles', () => {
  it('should have no limit without profiles', () => {
    expect(store().limitAmpsAt(1, T0, TX)).toBeUndefined();
  });

  it('should let a TxProfile override the default and fall back when its lease lapses', () => {
    const profiles = store();
    profiles.set(0, profile({ limit: 6 }), TX);
    expect(profiles.set(1, lease(101, 20, 1, 60), TX)).toBe('Accepted');

    expect(profiles.limitAmpsAt(1, T0 + 59_999, TX)).toBe(20);
    expect(profiles.limitAmpsAt(1, T0 + 60_000, TX)).toBe(6);
    expect(profiles.nextChangeAfter(T0 + 1, TX)).toBe(T0 + 60_000);
  });

  it('should take the highest valid stack level, then the next one down when it expires', () => {
    const profiles = store();
    profiles.set(1, lease(101, 20, 1, 120), TX);
    profiles.set(1, lease(102, 10, 2, 60), TX);

    expect(profiles.limitAmpsAt(1, T0 + 30_000, TX)).toBe(10);
    expect(profiles.limitAmpsAt(1, T0 + 90_000, TX)).toBe(20);
    expect(profiles.composite(1, T0, 200, TX)).toEqual([
      { startPeriod: 0, limit: 10 },
      { startPeriod: 60, limit: 20 },
    ]);
  });

  it('should let a connector default override the charger-wide default, and cap by ChargePointMaxProfile', () => {
    const profiles = store();
    profiles.set(0, profile({ limit: 6 }), TX);
    profiles.set(1, profile({ chargingProfileId: 2, limit: 25 }), TX);
    profiles.set(
      0,
      profile({
        chargingProfileId: 3,
        chargingProfilePurpose: 'ChargePointMaxProfile',
        chargingProfileKind: 'Absolute',
        validFrom: T0,
        limit: 20,
      }),
      TX,
    );

    expect(profiles.limitAmpsAt(1, T0, TX)).toBe(20);
    expect(profiles.limitAmpsAt(2, T0, { ...TX, connectorId: 2 })).toBe(6);
    expect(profiles.limitAmpsAt(2, T0, undefined)).toBe(20);
  });

  it('should convert watt limits to amps over the phases in use', () => {
    const profiles = store();
    profiles.set(0, profile({ unit: 'W', limit: 11040 }), TX);
    profiles.set(
      1,
      profile({
        chargingProfileId: 2,
        unit: 'W',
        limit: 3680,
        chargingSchedule: {
          chargingRateUnit: 'W',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 3680, numberPhases: 1 }],
        },
      }),
      TX,
    );

    expect(profiles.limitAmpsAt(2, T0, { ...TX, connectorId: 2 })).toBe(16);
    expect(profiles.limitAmpsAt(1, T0, TX)).toBe(16);
  });

  it.each<[string, number, SimProfile, RunningTransaction | undefined]>([
    ['a stack level above the maximum', 0, profile({ stackLevel: 4 }), TX],
    ['a TxProfile without a transaction', 1, lease(101, 10, 1, 60), undefined],
    ['a TxProfile for another transaction', 1, { ...lease(101, 10, 1, 60), transactionId: 8 }, TX],
    ['a TxProfile on connector 0', 0, lease(101, 10, 1, 60), TX],
    ['a ChargePointMaxProfile on a connector', 1, profile({ chargingProfilePurpose: 'ChargePointMaxProfile' }), TX],
  ])('should reject %s', (_name, connectorId, p, tx) => {
    expect(store().set(connectorId, p, tx)).toBe('Rejected');
  });

  it('should replace by profile id and by purpose and stack level, clear by criteria and drop TxProfiles at transaction end', () => {
    const profiles = store();
    profiles.set(0, profile({ limit: 6 }), TX);
    profiles.set(0, profile({ chargingProfileId: 9, limit: 8 }), TX);
    profiles.set(1, lease(101, 20, 1, 60), TX);
    profiles.set(1, lease(101, 22, 1, 60), TX);
    expect(profiles.count()).toBe(2);
    expect(profiles.limitAmpsAt(1, T0, TX)).toBe(22);

    profiles.endTransaction(1);
    expect(profiles.count()).toBe(1);
    expect(profiles.clear({ chargingProfilePurpose: 'TxProfile' })).toBe('Unknown');
    expect(profiles.clear({ id: 9 })).toBe('Accepted');
    expect(profiles.limitAmpsAt(1, T0, TX)).toBeUndefined();
  });

  it('should apply Relative schedules from the transaction start with their periods', () => {
    const profiles = store();
    profiles.set(
      0,
      profile({
        chargingSchedule: {
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 8 },
            { startPeriod: 600, limit: 16 },
          ],
        },
      }),
      TX,
    );

    expect(profiles.limitAmpsAt(1, T0 + 599_000, TX)).toBe(8);
    expect(profiles.limitAmpsAt(1, T0 + 600_000, TX)).toBe(16);
  });
});
