import { describe, expect, it } from 'vitest';
import { MeterProbation } from '../../../../edge/control/meter-probation';

const SETTINGS = { minPauseMs: 60_000, staleMs: 10_000 };

/** A meter lost at 0 s and back at 1 s, then lost again at `againAt` and read from `readsFrom` every second. */
function flapped(againAt: number, readsFrom: number): MeterProbation {
  const probation = new MeterProbation();
  probation.lost('grid', 0, SETTINGS);
  probation.returned('grid', 1_000);
  probation.lost('grid', againAt, SETTINGS);
  probation.reading('grid', readsFrom, SETTINGS);
  return probation;
}

describe('MeterProbation', () => {
  it('should trust a meter lost for the first time as soon as it reads again', () => {
    // Arrange
    const probation = new MeterProbation();
    probation.lost('grid', 0, SETTINGS);

    // Act
    const started = probation.reading('grid', 5_000, SETTINGS);

    // Assert
    expect(started).toBeUndefined();
    expect(probation.withheldFor('grid')).toBeUndefined();
  });

  it('should trust a meter lost again a minimum pause or more after its return as soon as it reads', () => {
    // Arrange, Act
    const probation = flapped(61_000, 70_000);

    // Assert
    expect(probation.withheldFor('grid')).toBeUndefined();
  });

  it('should withhold a meter lost again within a minimum pause until it has read that long', () => {
    // Arrange
    const probation = flapped(30_000, 40_000);

    // Act
    for (let at = 41_000; at < 100_000; at += 1_000) probation.reading('grid', at, SETTINGS);
    const before = probation.withheldFor('grid');
    probation.reading('grid', 100_000, SETTINGS);

    // Assert
    expect(before).toBe(60_000);
    expect(probation.withheldFor('grid')).toBeUndefined();
  });

  it('should start the probation again after a gap longer than the staleness limit', () => {
    // Arrange
    const probation = flapped(30_000, 40_000);

    // Act: silent from 50 s to 65 s
    for (let at = 41_000; at <= 50_000; at += 1_000) probation.reading('grid', at, SETTINGS);
    const restarted = probation.reading('grid', 65_000, SETTINGS);

    // Assert
    expect(restarted).toBe(125_000);
    for (let at = 66_000; at < 125_000; at += 1_000) probation.reading('grid', at, SETTINGS);
    expect(probation.withheldFor('grid')).toBe(60_000);
  });

  it('should trust the meter again once the allocation saw it back', () => {
    // Arrange
    const probation = flapped(30_000, 40_000);

    // Act
    probation.returned('grid', 100_000);

    // Assert
    expect(probation.withheldFor('grid')).toBeUndefined();
  });
});
