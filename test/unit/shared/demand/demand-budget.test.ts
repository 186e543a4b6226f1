import { describe, expect, it } from 'vitest';
import { demandRoom, periodTargetKw } from '../../../../shared/demand/demand-budget';

const period = { start: 0, end: 900_000, month: '2026-01' };

describe('the chargers room in a demand period', () => {
  it('should choose the target from a fixed cap, the month peak with its floor, or the lower of both', () => {
    expect(periodTargetKw({ targetKw: 40, followMonthPeak: false, floorKw: 2.5 }, 60)).toBe(40);
    expect(periodTargetKw({ targetKw: null, followMonthPeak: true, floorKw: 2.5 }, 0)).toBe(2.5);
    expect(periodTargetKw({ targetKw: null, followMonthPeak: true, floorKw: 2.5 }, 31)).toBe(31);
    expect(periodTargetKw({ targetKw: 25, followMonthPeak: true, floorKw: 2.5 }, 31)).toBe(25);
    expect(periodTargetKw({ targetKw: null, followMonthPeak: false, floorKw: 2.5 }, 31)).toBe(Infinity);
  });

  it('should give the chargers what the target leaves beside the other load, and more after a quiet start', () => {
    const at = (now: number, importedWh: number) =>
      demandRoom({ period, now, targetKw: 50, marginKw: 0, importedWh, otherWatts: 30_000, minLeftMs: 120_000 });
    // At the start: 50 - 30 = 20 kW; the average lands on the target.
    expect(at(0, 0).chargerWatts).toBeCloseTo(20_000);
    expect(at(0, 0).forecastKw).toBeCloseTo(50);
    // Half-way, having imported only 30 kW on average so far: the unused 20 kW*7.5 min goes in the rest.
    expect(at(450_000, 3_750).chargerWatts).toBeCloseTo(40_000);
    // Having imported more than the target allows so far: nothing, never below 0.
    expect(at(450_000, 9_000).chargerWatts).toBe(0);
  });

  it('should not hand the last seconds a period leftover room all at once', () => {
    // 10 s left with 100 Wh unused: spread as if 2 minutes were left (3 kW), not 36 kW in 10 s.
    const room = demandRoom({
      period,
      now: 890_000,
      targetKw: 50,
      marginKw: 0,
      importedWh: 50_000 * 0.25 - 100 - (30_000 * 10) / 3600,
      otherWatts: 30_000,
      minLeftMs: 120_000,
    });
    expect(room.chargerWatts).toBeCloseTo(3_000, -1);
  });
});
