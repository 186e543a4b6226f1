import { describe, expect, it } from 'vitest';
import { MeterReadings } from '../../../../edge/control/meter-readings';

const SETTINGS = { minPauseMs: 60_000, staleMs: 10_000 };
const reading = (at: number) => ({ meterId: 'grid', amps: [10, 10, 10] as const, at, valid: true });

describe('MeterReadings', () => {
  it('should keep a flapping meter out of the allocator and say why until it has read a minimum pause', () => {
    // Arrange: lost at 0 s, back at 1 s, lost again at 30 s
    const meters = new MeterReadings();
    meters.transition('grid', true, 0, SETTINGS);
    meters.transition('grid', false, 1_000, SETTINGS);
    meters.transition('grid', true, 30_000, SETTINGS);

    // Act
    const trustedFrom = meters.record(reading(40_000), undefined, SETTINGS);

    // Assert
    expect(trustedFrom).toBe(100_000);
    expect(meters.trusted()).toEqual([]);
    expect(meters.lastValid('grid')?.at).toBe(40_000);
    expect(meters.fault('grid')).toEqual({ reason: 'meterFault.probation', params: { seconds: 60 } });
    for (let at = 41_000; at <= 100_000; at += 1_000) meters.record(reading(at), undefined, SETTINGS);
    expect(meters.trusted().map((r) => r.at)).toEqual([100_000]);
    expect(meters.fault('grid')).toBeUndefined();
  });

  it('should show a sample fault before the probation', () => {
    // Arrange
    const meters = new MeterReadings();

    // Act
    meters.record({ ...reading(1_000), valid: false }, { reason: 'meterFault.timeout' }, SETTINGS);

    // Assert
    expect(meters.fault('grid')).toEqual({ reason: 'meterFault.timeout' });
  });
});
