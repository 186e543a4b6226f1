import { describe, expect, it } from 'vitest';
import {
  ampsFromWatts,
  chargerToGridAmps,
  gridPhasesOf,
  ocppPhaseRotation,
  perPhaseAmpsFromKilowatts,
  PHASE_ROTATIONS,
  wattsFromAmps,
} from '../../../shared/units';

describe('phase rotation', () => {
  it.each([
    ['L1L2L3', [0, 1, 2], 'RST'],
    ['L2L3L1', [1, 2, 0], 'STR'],
    ['L3L1L2', [2, 0, 1], 'TRS'],
    ['L1L3L2', [0, 2, 1], 'RTS'],
    ['L2L1L3', [1, 0, 2], 'SRT'],
    ['L3L2L1', [2, 1, 0], 'TSR'],
  ] as const)('should wire %s to grid phases %j (OCPP %s)', (rotation, grid, ocpp) => {
    expect(gridPhasesOf(rotation)).toEqual(grid);
    expect(ocppPhaseRotation(rotation)).toBe(ocpp);
  });

  it('should move per-charger-phase amps onto grid phases, keeping the total', () => {
    for (const rotation of PHASE_ROTATIONS) {
      const grid = chargerToGridAmps([10, 0, 0], gridPhasesOf(rotation));
      expect(grid.reduce((a, b) => a + b, 0)).toBe(10);
      expect(grid[gridPhasesOf(rotation)[0]]).toBe(10);
    }
  });
});

describe('power and current', () => {
  it('should convert kW budgets to per-phase amps at the nominal voltage', () => {
    expect(perPhaseAmpsFromKilowatts(22.08, 230)).toBeCloseTo(32, 6);
    expect(wattsFromAmps(16, 1, 230)).toBe(3680);
    expect(ampsFromWatts(11_040, 3, 230)).toBeCloseTo(16, 6);
  });
});
