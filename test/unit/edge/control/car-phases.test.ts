import { describe, expect, it } from 'vitest';
import { CarPhases } from '../../../../edge/control/car-phases';

describe('CarPhases', () => {
  it('should keep a 3-phase car at 3 phases when single samples show a phase below 1 A', () => {
    // Arrange
    const phases = new CarPhases();

    // Act
    for (const amps of [
      [16, 16, 16],
      [16, 16, 0.6],
      [16, 16, 16],
      [15.8, 0.4, 16],
      [16, 16, 16],
    ] as const)
      phases.observe(amps);

    // Assert
    expect(phases.value).toBe(3);
  });

  it('should follow a car that really switched to one phase once three samples in a row agree', () => {
    // Arrange
    const phases = new CarPhases();
    phases.observe([16, 16, 16]);

    // Act
    phases.observe([16, 0, 0]);
    phases.observe([16, 0, 0]);
    const afterTwo = phases.value;
    phases.observe([16, 0, 0]);

    // Assert
    expect(afterTwo).toBe(3);
    expect(phases.value).toBe(1);
  });

  it('should learn nothing from samples without current', () => {
    // Arrange
    const phases = new CarPhases();

    // Act
    phases.observe([0, 0, 0]);

    // Assert
    expect(phases.value).toBeUndefined();
  });

  it("should not take a starting car's first trickle for its phase count", () => {
    // Arrange: a 3-phase car starting; one phase reads a little under 1 A
    const phases = new CarPhases();

    // Act
    phases.observe([1.3, 0.9, 1]);
    const starting = phases.value;
    phases.observe([9.4, 9.4, 9.4]);

    // Assert: a 3-phase car read as 2-phase would have one phase uncounted
    expect(starting).toBeUndefined();
    expect(phases.value).toBe(3);
  });
});
