import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../../../edge/upstream/reconnect-delay';
import { mulberry32 } from '../../../../sim/prng';

const delays = { initialDelayMs: 1_000, maxDelayMs: 60_000 };

describe('reconnectDelayMs', () => {
  it.each([
    [0, 0.5, 500],
    [1, 0.5, 1_000],
    [3, 0.999, 7_992],
    [6, 0.999, 59_940],
    [40, 0.999, 59_940],
    [2, 0, 0],
  ])(
    'should draw attempt %i with random %f as %i ms (full jitter under a doubling, capped ceiling)',
    (attempt, r, ms) => {
      expect(reconnectDelayMs(attempt, delays, () => r)).toBe(ms);
    },
  );

  it('should spread 500 links lost together over the whole interval instead of one burst', () => {
    // Arrange
    const random = mulberry32(14);
    const links = 500;

    // Act: each link's first and fourth attempt
    const first = Array.from({ length: links }, () => reconnectDelayMs(0, delays, random));
    const fourth = Array.from({ length: links }, () => reconnectDelayMs(3, delays, random));

    // Assert: no tenth of the interval gets more than twice its share
    const busiest = (draws: number[], ceiling: number) =>
      Math.max(
        ...Array.from({ length: 10 }, (_, i) => draws.filter((d) => Math.floor((d / ceiling) * 10) === i).length),
      );
    expect(busiest(first, 1_000)).toBeLessThanOrEqual(2 * (links / 10));
    expect(busiest(fourth, 8_000)).toBeLessThanOrEqual(2 * (links / 10));
    expect(Math.max(...fourth)).toBeLessThan(8_000);
  });
});
