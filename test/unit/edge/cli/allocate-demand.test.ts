import { describe, expect, it } from 'vitest';
import { inProcess, tempFile } from './command-harness';

/** Two 3-phase chargers on a 63 A fuse, both charging; 10 minutes into a 15-minute period at 28 kW so far. */
const trial = (demandControl: object | undefined, demand: object) => ({
  $schemaVersion: 1,
  site: {
    $schemaVersion: 1,
    id: 's',
    circuits: [{ id: 'grid', parent: null, fuseAmps: 63, meterId: 'grid-meter' }],
    chargers: [
      { id: 'A', circuit: 'grid', phases: 3, maxAmps: 32 },
      { id: 'B', circuit: 'grid', phases: 3, maxAmps: 32 },
    ],
  },
  policy: {
    $schemaVersion: 1,
    budget: { unit: 'A', min: 0, max: 63 },
    control: { mode: 'dynamic', safetyMarginAmps: 2, staleMeter: { afterSeconds: 10, fallbackAmps: 16 } },
    ...(demandControl && { demandControl }),
  },
  state: { at: '2026-12-03T10:10:00Z', demand },
});
const target = { enabled: true, periodMinutes: 15, targetKw: 30, marginKw: 0.5 };
const state = { averageSoFarKw: 28, secondsIntoPeriod: 600, otherKw: 20 };

describe('npm run allocate under peak-demand control', () => {
  it("should show the chargers' cap the demand target gives at the trial's moment, and allocate under it", async () => {
    // Act
    const text = await inProcess([await tempFile(trial(target, state))]);
    const json = await inProcess([await tempFile(trial(target, state)), '--json']);

    // Assert: 7.375 kWh allowed, 4.667 kWh so far, 1.667 kWh of other load to come: 12.5 kW for the last 5 minutes
    expect(text.code).toBe(0);
    expect(text.out).toContain(
      'peak demand: target 30.0 kW; 10:00 into the 15-min period at 28.0 kW so far, other load 20.0 kW: the chargers get at most 12.5 kW for the rest of the period (forecast 29.5 kW)',
    );
    const output = JSON.parse(json.out) as {
      demand: { chargersCapKw: number };
      rounds: Array<{ allocation: { totalAmps: number[]; budget: { demandKw: number } } }>;
    };
    expect(output.demand.chargersCapKw).toBeCloseTo(12.5, 6);
    expect(output.rounds[0]!.allocation.budget.demandKw).toBe(12.5);
    for (const amps of output.rounds[0]!.allocation.totalAmps) expect(amps).toBeLessThanOrEqual(12_500 / (3 * 230));
  });

  it('should refuse a demand state when the policy has no demand control, or one past the period, and exit 2', async () => {
    const off = await inProcess([await tempFile(trial(undefined, state))]);
    const late = await inProcess([await tempFile(trial(target, { ...state, secondsIntoPeriod: 900 }))]);

    expect(off.code).toBe(2);
    expect(off.err).toContain('state.demand: the policy does not enable demandControl');
    expect(late.code).toBe(2);
    expect(late.err).toContain("state.demand.secondsIntoPeriod: the policy's period lasts 900 s");
  });
});
