import { describe, expect, it } from 'vitest';
import { demandPeriodAt } from '../../../../shared/demand/demand-period';

const iso = (ms: number) => new Date(ms).toISOString();

describe('demand periods aligned to the site clock', () => {
  it('should align quarter-hours to the local clock and name the local month', () => {
    const p = demandPeriodAt(Date.parse('2026-03-31T22:07:31.250Z'), 15, 'Europe/Brussels');
    // 00:07 local on 1 April (UTC+2): the period 00:00-00:15 local, in April.
    expect([iso(p.start), iso(p.end), p.month]).toEqual([
      '2026-03-31T22:00:00.000Z',
      '2026-03-31T22:15:00.000Z',
      '2026-04',
    ]);
    const before = demandPeriodAt(Date.parse('2026-03-31T21:59:59.999Z'), 15, 'Europe/Brussels');
    expect(before.month).toBe('2026-03');
    expect(before.end).toBe(p.start);
  });

  it('should keep every period its full length across the daylight-saving changes', () => {
    // 2026-10-25: Brussels goes from UTC+2 to UTC+1 at 03:00 local; 02:00-03:00 local happens twice.
    let at = Date.parse('2026-10-24T23:50:00Z');
    const starts: number[] = [];
    while (at < Date.parse('2026-10-25T02:10:00Z')) {
      const p = demandPeriodAt(at, 15, 'Europe/Brussels');
      expect(p.end - p.start).toBe(15 * 60_000);
      if (starts.at(-1) !== p.start) starts.push(p.start);
      at += 60_000;
    }
    // No gap and no overlap: each period starts where the previous one ended.
    starts.slice(1).forEach((s, i) => expect(s - starts[i]!).toBe(15 * 60_000));
    // And in spring (2026-03-29, 02:00 -> 03:00 local), the skipped hour takes no period with it.
    const spring = demandPeriodAt(Date.parse('2026-03-29T01:05:00Z'), 15, 'Europe/Brussels');
    expect(iso(spring.start)).toBe('2026-03-29T01:00:00.000Z');
  });

  it('should align to a half-hour offset zone clock, not to UTC', () => {
    // Kolkata is UTC+5:30: its hours start at :30 UTC.
    const p = demandPeriodAt(Date.parse('2026-06-01T10:45:00Z'), 60, 'Asia/Kolkata');
    expect(iso(p.start)).toBe('2026-06-01T10:30:00.000Z');
  });
});
