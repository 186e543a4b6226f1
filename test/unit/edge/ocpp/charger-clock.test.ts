import { describe, expect, it } from 'vitest';
import { ChargerClockCheck, checkChargerTime, CLOCK_LIMITS } from '../../../../edge/ocpp/charger-clock';

const NOW = Date.UTC(2026, 11, 2, 12);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('checkChargerTime', () => {
  it.each([
    ['a time just now', NOW - 1_000, { at: NOW - 1_000, source: 'charger' }],
    ['a time queued offline two days ago', NOW - 2 * DAY, { at: NOW - 2 * DAY, source: 'charger' }],
    ['a time a little ahead (clocks drift)', NOW + 4 * MINUTE, { at: NOW + 4 * MINUTE, source: 'charger' }],
    ['a time beyond the future tolerance', NOW + 6 * MINUTE, { at: NOW, source: 'receivedClockAhead' }],
    ['a time older than the longest offline queue', NOW - 31 * DAY, { at: NOW, source: 'receivedClockBehind' }],
    ['a clock that booted in 1970', 0, { at: NOW, source: 'receivedClockBehind' }],
  ])('should take %s', (_name, reported, expected) => {
    expect(checkChargerTime(reported, NOW)).toEqual({ ...expected, receivedAt: NOW });
  });

  it('should tolerate five minutes ahead and thirty days behind', () => {
    expect(CLOCK_LIMITS).toEqual({ aheadMs: 5 * MINUTE, behindMs: 30 * DAY });
  });
});

describe('ChargerClockCheck', () => {
  it('should log a skewed clock when it starts and when it ends, not every message', () => {
    // Arrange
    const lines: { data: object; message: string }[] = [];
    const clock = new ChargerClockCheck({
      warn: (data, message) => lines.push({ data, message }),
      info: (data, message) => lines.push({ data, message }),
    });

    // Act
    clock.check('MeterValues', NOW + DAY, NOW);
    clock.check('MeterValues', NOW + DAY, NOW + 10_000);
    clock.check('StopTransaction', NOW + DAY, NOW + 20_000);
    clock.check('MeterValues', NOW + 30_000, NOW + 30_000);

    // Assert
    expect(lines.map((l) => l.message)).toEqual([
      'charger clock skewed: its timestamps are replaced by the time of receipt',
      'charger clock plausible again: its timestamps are kept',
    ]);
    expect(lines[0]!.data).toEqual({
      method: 'MeterValues',
      reported: new Date(NOW + DAY).toISOString(),
      received: new Date(NOW).toISOString(),
      source: 'receivedClockAhead',
    });
  });
});
