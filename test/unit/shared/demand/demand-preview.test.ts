import { describe, expect, it } from 'vitest';
import { DemandPeriodStateSchema, demandPreview } from '../../../../shared/demand/demand-preview';
import { PolicySchema, type PolicyInput } from '../../../../shared/policy/policy-schema';

const policy = (demandControl: PolicyInput['demandControl'], min = 0) =>
  PolicySchema.parse({
    $schemaVersion: 1,
    budget: { unit: 'kW', min, max: 100 },
    control: { mode: 'dynamic', safetyMarginAmps: 2, staleMeter: { afterSeconds: 10, fallbackAmps: 16 } },
    demandControl,
  });
const state = (over: object = {}) =>
  DemandPeriodStateSchema.parse({ averageSoFarKw: 10, secondsIntoPeriod: 450, otherKw: 10, ...over });
const preview = (p: ReturnType<typeof policy>, s: ReturnType<typeof state>) => {
  const result = demandPreview(p, s, 230, 'demand');
  if (!result.ok) throw new Error(result.issue.message);
  return result.preview;
};

describe('demandPreview', () => {
  it("should give the chargers the target's room for the rest of the period, less the margin", () => {
    // 15-minute period, half gone at 10 kW: 20 kW (less 0.5) over the whole period leaves 19 kW for the second half,
    // of which the other load takes 10
    const p = preview(policy({ enabled: true, targetKw: 20, marginKw: 0.5 }), state());
    expect(p.chargersCapKw).toBeCloseTo(19, 9);
    expect(p.forecastKw).toBeCloseTo(19.5, 9);
  });

  it("should follow the month's peak when the policy says so, from its floor", () => {
    const follow = policy({ enabled: true, followMonthPeak: true, floorKw: 2.5, marginKw: 0.5 });
    expect(preview(follow, state({ monthPeakKw: 30 })).targetKw).toBe(30);
    expect(preview(follow, state({ monthPeakKw: 1 })).targetKw).toBe(2.5);
  });

  it("should keep the budget's min, and count the last seconds of a period as two minutes", () => {
    // Over the target already: nothing is left, but the budget's 3 kW min holds
    expect(preview(policy({ enabled: true, targetKw: 20 }, 3), state({ averageSoFarKw: 40 })).chargersCapKw).toBe(3);
    // 10 s before the end, 0.5 kWh of room left: spread over 120 s (15 kW), not over 10 s (180 kW)
    // 19.5 kW x 15 min = 4875 Wh allowed, 4375 Wh imported in the first 890 s
    const late = state({ averageSoFarKw: 4_375 / (890 / 3_600) / 1_000, secondsIntoPeriod: 890, otherKw: 0 });
    const p = preview(policy({ enabled: true, targetKw: 20, marginKw: 0.5 }), late);
    expect(p.chargersCapKw).toBeCloseTo(15, 9);
  });
});
