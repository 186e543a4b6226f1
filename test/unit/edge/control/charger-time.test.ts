import { describe, expect, it } from 'vitest';
import { notBefore } from '../../../../edge/control/charger-time';

const NOW = Date.UTC(2026, 11, 2, 12);
const DAY = 24 * 60 * 60_000;

describe('notBefore', () => {
  it('should keep a time at or after the earliest, and take the time of receipt for one before it', () => {
    const time = { at: NOW - 2 * DAY, receivedAt: NOW, source: 'charger' } as const;

    expect(notBefore(time, NOW - 2 * DAY)).toBe(time);
    expect(notBefore(time, NOW - DAY)).toEqual({ at: NOW, receivedAt: NOW, source: 'receivedClockBehind' });
  });
});
