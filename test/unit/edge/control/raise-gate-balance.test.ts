import { describe, expect, it } from 'vitest';
import type { ConnectorAllocation } from '../../../../shared/allocation/allocation-types';
import { balanceRaises } from '../../../../edge/control/raise-gate-balance';
import { activeConnector } from '../../../support/allocation-builders';

/** A car at `amps` on the grid phases `phases` (0 = L1) of the allocation the gate was given. */
function target(amps: number, phases: readonly number[]): ConnectorAllocation {
  const phaseAmps = [0, 1, 2].map((p) =>
    phases.includes(p) ? amps : 0,
  ) as unknown as ConnectorAllocation['phaseAmps'];
  return activeConnector(`CP-${phases.join('')}`, {
    chargerId: 'CP',
    amps,
    phaseAmps,
    phases: phases.length as 1 | 2 | 3,
  });
}

const balance = (
  targets: ConnectorAllocation[],
  base: number[],
  gated: number[],
  maxImbalanceAmps: number | null = 6,
): number[] => [
  ...balanceRaises(Float64Array.from(gated), {
    target: targets,
    base: Float64Array.from(base),
    maxImbalanceAmps,
    stepAmps: 0.5,
    minAmps: () => 6,
  }),
];

describe('balanceRaises', () => {
  it('should lower the raises on the phases a held raise left more than the limit above the lightest', () => {
    // Arrange: 1-phase cars on L1 (6 -> 14 A), L2 (0 -> 14 A) and L3 (6 -> 8 A, held at 6 by the gate): 14, 14 and 6
    const targets = [target(14, [0]), target(14, [1]), target(8, [2])];

    // Act
    const amps = balance(targets, [6, 0, 6], [14, 14, 6]);

    // Assert: 12 A each on L1 and L2, 6 A above L3
    expect(amps).toEqual([12, 12, 6]);
  });

  it('should lower neither a 3-phase car nor one that loads the lightest phase', () => {
    // Arrange: a 3-phase car rising 6 -> 10 A, a 2-phase car on L1 and L3 rising 6 -> 12 A, and a 1-phase car on L2
    // rising 6 -> 12 A that the gate holds at 6: 22, 16 and 22 A
    const targets = [target(10, [0, 1, 2]), target(12, [0, 2]), target(12, [1])];

    // Act
    const amps = balance(targets, [6, 6, 6], [10, 12, 6], 2);

    // Assert: the 2-phase car gives way until L1 and L3 are 2 A above L2; the 3-phase car would lower L2 as much
    expect(amps).toEqual([10, 8, 6]);
  });

  it('should cut a car held above its share when the raises alone cannot give way enough, never below its minimum', () => {
    // Arrange: a 1-phase car on L1 held at 13.8 A (a fall hysteresis held), a 1-phase car on L2 raised 6 -> 12 A and one
    // on L3 whose raise (6 -> 9.8 A) the gate holds at 6: 13.8, 12 and 6 A against a limit of 6
    const targets = [target(11, [0]), target(12, [1]), target(9.8, [2])];

    // Act
    const amps = balance(targets, [13.8, 6, 6], [13.8, 12, 6]);

    // Assert: L1 is cut to 12 A (6 above L3), L2 keeps its 12 A
    expect(amps).toEqual([12, 12, 6]);
  });

  it('should keep a spread the allocation had itself (load it reserves) and no wider, and change nothing without a limit', () => {
    // Arrange: a charger we do not control holds 16 A on L1, so the allocation is 4 A wide (16, 14, 12) against a
    // limit of 2; the gate holds the L3 car's raise (6 -> 12 A) at 8 A
    const targets = [{ ...target(16, [0]), reason: 'offline' as const }, target(14, [1]), target(12, [2])];

    // Act
    const limited = balance(targets, [16, 6, 6], [16, 14, 8], 2);
    const unlimited = balance(targets, [16, 6, 6], [16, 14, 8], null);

    // Assert: the L2 car gives way to 4 A above L3 (the allocation's own spread); the reserved 16 A is no raise
    expect(limited).toEqual([16, 12, 8]);
    expect(unlimited).toEqual([16, 14, 8]);
  });
});
