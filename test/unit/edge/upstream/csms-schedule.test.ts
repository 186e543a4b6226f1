import { describe, expect, it } from 'vitest';
import { CsmsSetProfileSchema } from '../../../../edge/upstream/csms-profile-schema';
import { nextBoundary, periodAt } from '../../../../edge/upstream/csms-schedule';
import { at, minutes, setProfile, T0, type ProfileOptions } from './csms-profiles';

const profile = (o: ProfileOptions) => CsmsSetProfileSchema.parse(setProfile(o)).csChargingProfiles;
const limitAt = (o: ProfileOptions, instant: number, sessionStart = T0) =>
  periodAt(profile(o), instant, sessionStart)?.limit;

describe('one CSMS profile in time', () => {
  const stepped: ProfileOptions = {
    periods: [
      [0, 32],
      [3600, 6],
    ],
  };

  it('should run a Relative schedule from the start of the session', () => {
    expect(limitAt(stepped, T0 + minutes(59))).toBe(32);
    expect(limitAt(stepped, T0 + minutes(60))).toBe(6);
    expect(limitAt(stepped, T0 - 1)).toBeUndefined();
  });

  it('should run an Absolute schedule from its startSchedule, and only for its duration', () => {
    const absolute = { kind: 'Absolute', startSchedule: '2026-12-01T10:00:00Z', duration: 7200, ...stepped } as const;
    expect(limitAt(absolute, at('2026-12-01T09:59:59Z'))).toBeUndefined();
    expect(limitAt(absolute, at('2026-12-01T10:30:00Z'))).toBe(32);
    expect(limitAt(absolute, at('2026-12-01T11:30:00Z'))).toBe(6);
    expect(limitAt(absolute, at('2026-12-01T12:00:00Z'))).toBeUndefined();
  });

  it('should run an Absolute schedule without startSchedule from the start of charging', () => {
    expect(limitAt({ kind: 'Absolute', ...stepped }, T0 + minutes(61))).toBe(6);
  });

  it('should hold the last period without a duration', () => {
    expect(limitAt(stepped, T0 + minutes(60 * 24 * 30))).toBe(6);
  });

  it('should not cover the time before a first period that starts late', () => {
    const late = { periods: [[600, 10]] } as const;
    expect(limitAt(late, T0 + minutes(9))).toBeUndefined();
    expect(limitAt(late, T0 + minutes(10))).toBe(10);
  });

  it('should repeat a Daily schedule every day, including from the cycle before an instant', () => {
    // The EVerest example: 32 A from 12:00 for an hour, then 6 A until noon the next day.
    const daily = {
      kind: 'Recurring',
      recurrencyKind: 'Daily',
      startSchedule: '2024-01-01T12:00:00Z',
      ...stepped,
    } as const;
    expect(limitAt(daily, at('2024-01-10T11:50:00Z'))).toBe(6);
    expect(limitAt(daily, at('2024-01-10T12:00:00Z'))).toBe(32);
    expect(limitAt(daily, at('2024-01-10T13:00:00Z'))).toBe(6);
  });

  it('should stop a Daily schedule at its duration each day', () => {
    const daily = {
      kind: 'Recurring',
      recurrencyKind: 'Daily',
      startSchedule: '2026-12-01T23:00:00Z',
      duration: 7 * 3600,
      periods: [[0, 32]],
    } as const;
    expect(limitAt(daily, at('2026-12-05T02:00:00Z'))).toBe(32);
    expect(limitAt(daily, at('2026-12-05T06:00:00Z'))).toBeUndefined();
    expect(limitAt(daily, at('2026-12-05T23:00:00Z'))).toBe(32);
  });

  it('should repeat a Weekly schedule every seven days', () => {
    // Monday 2026-11-30 00:00: full current for two days, then 10 A for the rest of the week.
    const weekly = {
      kind: 'Recurring',
      recurrencyKind: 'Weekly',
      startSchedule: '2026-11-30T00:00:00Z',
      periods: [
        [0, 32],
        [2 * 86_400, 10],
      ],
    } as const;
    expect(limitAt(weekly, at('2026-12-08T12:00:00Z'))).toBe(32);
    expect(limitAt(weekly, at('2026-12-09T12:00:00Z'))).toBe(10);
    expect(limitAt(weekly, at('2026-12-14T00:00:00Z'))).toBe(32);
  });

  it('should hold only from validFrom and until (not at) validTo', () => {
    const valid = { validFrom: '2026-12-01T12:00:00Z', validTo: '2026-12-01T20:00:00Z', ...stepped };
    // The EVerest example: a car that arrived at 10:00 gets the profile from 12:00, in its third hour (6 A).
    expect(limitAt(valid, at('2026-12-01T11:59:59Z'), at('2026-12-01T10:00:00Z'))).toBeUndefined();
    expect(limitAt(valid, at('2026-12-01T12:00:00Z'), at('2026-12-01T10:00:00Z'))).toBe(6);
    expect(limitAt(valid, at('2026-12-01T19:59:59Z'), at('2026-12-01T19:50:00Z'))).toBe(32);
    expect(limitAt(valid, at('2026-12-01T20:00:00Z'), at('2026-12-01T19:50:00Z'))).toBeUndefined();
  });

  it('should carry the unit and the phases of the period in force', () => {
    expect(periodAt(profile({ unit: 'W', periods: [[0, 11_000, 1]] }), T0, T0)).toEqual({
      limit: 11_000,
      unit: 'W',
      numberPhases: 1,
    });
  });

  it.each<[string, ProfileOptions, number, number | undefined]>([
    [
      'the next period',
      {
        periods: [
          [0, 32],
          [3600, 6],
        ],
      },
      T0,
      T0 + minutes(60),
    ],
    ['the end of the duration', { duration: 600 }, T0 + 1000, T0 + minutes(10)],
    ['validFrom', { validFrom: '2026-12-01T09:00:00Z' }, T0, at('2026-12-01T09:00:00Z')],
    ['validTo', { validTo: '2026-12-01T09:00:00Z' }, T0 + 1, at('2026-12-01T09:00:00Z')],
    [
      'the next daily cycle',
      { kind: 'Recurring', recurrencyKind: 'Daily', startSchedule: '2026-11-01T00:00:00Z' },
      at('2026-12-01T13:00:00Z'),
      at('2026-12-02T00:00:00Z'),
    ],
    ['nothing, for a constant limit', {}, T0 + 1, undefined],
  ])('should name %s as the next boundary', (_name, options, instant, next) => {
    expect(nextBoundary(profile(options), instant, T0)).toBe(next);
  });
});
