/** Issue 18: the money a month's avoided peak saves on a capacity tariff per kW, per year or per month. */
import { describe, expect, it } from 'vitest';
import { avoidedKw, monthSavings } from '../../../../shared/demand/demand-savings';

describe('demand savings', () => {
  it.each([
    [10, 22, 48, 'year', 48],
    [10, 22, 4, 'month', 48],
    [10, 8, 48, 'year', 0],
    [12.3, 15.45, 40.2, 'year', 10.55],
  ] as const)(
    'should save, with a peak of %s kW against %s kW uncontrolled at %s per kW and %s, %s',
    (peak, without, tariff, per, saved) => {
      expect(monthSavings(peak, without, tariff, per)).toBe(saved);
    },
  );

  it('should count no kW avoided when the estimate without control is below the peak', () => {
    expect(avoidedKw(12, 9)).toBe(0);
  });
});
