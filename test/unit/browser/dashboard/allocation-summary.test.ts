/** The allocations summary in words an installer reads: never the engine's "(static)", which read wrong in dynamic mode. */
import { beforeAll, describe, expect, it } from 'vitest';
import { allocationSummary } from '../../../../browser/dashboard/pages/allocation-table';
import { startI18n } from '../../../../browser/ui/i18n/i18n';

describe('allocation summary', () => {
  beforeAll(() => startI18n('en'));

  it.each([
    ['static', "Budget 30 kW (the policy's budget)"],
    ['schedule', "Budget 30 kW (the schedule's budget)"],
  ] as const)('should name a %s budget as %s', (source, expected) => {
    // Act
    const text = allocationSummary({
      at: 0,
      budget: { unit: 'kW', value: 30, source },
      totalAmps: [10, 10, 10],
      rows: [],
    });

    // Assert
    expect(text).toContain(expected);
    expect(text).not.toMatch(/\((static|schedule)\)/);
  });
});
