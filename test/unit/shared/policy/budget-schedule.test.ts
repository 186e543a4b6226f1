import { describe, expect, it } from 'vitest';
import { activeBudget, minuteOfWeek } from '../../../../shared/policy/budget-schedule';
import { PolicySchema } from '../../../../shared/policy/policy-schema';

const policy = PolicySchema.parse({
  $schemaVersion: 1,
  budget: { unit: 'kW', min: 5, max: 50 },
  schedules: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '17:00', to: '20:00', budgetMax: 20 },
    { days: ['sun'], from: '22:00', to: '06:00', budgetMax: 11 },
  ],
});

describe('budget schedules', () => {
  it('should count minutes of the week from Monday 00:00 in the site time zone', () => {
    expect(minuteOfWeek(Date.parse('2026-11-16T00:00:00Z'), 'UTC')).toBe(0);
    expect(minuteOfWeek(Date.parse('2026-11-15T23:30:00Z'), 'Europe/Berlin')).toBe(30);
    expect(minuteOfWeek(Date.parse('2026-07-13T22:00:00Z'), 'Europe/Berlin')).toBe(1440);
  });

  it.each([
    ['Friday 16:59 Berlin', '2026-11-20T15:59:00Z', 50, 'static'],
    ['Friday 17:00 Berlin', '2026-11-20T16:00:00Z', 20, 'schedule'],
    ['Friday 19:59 Berlin', '2026-11-20T18:59:00Z', 20, 'schedule'],
    ['Friday 20:00 Berlin', '2026-11-20T19:00:00Z', 50, 'static'],
    ['Saturday 18:00 Berlin', '2026-11-21T17:00:00Z', 50, 'static'],
    ['Sunday 23:00 Berlin', '2026-11-22T22:00:00Z', 11, 'schedule'],
    ['Monday 05:59 Berlin, past midnight of the Sunday window', '2026-11-23T04:59:00Z', 11, 'schedule'],
    ['Monday 06:00 Berlin', '2026-11-23T05:00:00Z', 50, 'static'],
  ])('should apply the right budget on %s', (_when, iso, value, source) => {
    expect(activeBudget(policy, Date.parse(iso), 'Europe/Berlin')).toEqual({ value, source });
  });
});
