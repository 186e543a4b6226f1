import { describe, expect, it } from 'vitest';
import { DrawHistory } from '../../../../edge/control/draw-history';

const R = 5_000;

describe('DrawHistory', () => {
  it('should not count a rise the meter has not seen: the lower bound uses samples up to the reading only', () => {
    // Arrange: 10 A held, raised to 16 A at 20 s; a sample at 22 s shows 16 A, the meter read at 21 s
    const h = new DrawHistory();
    h.addLimit(0, 10);
    h.addSample(15_000, [10, 10, 10]);
    h.addLimit(20_000, 16);
    h.addSample(22_000, [16, 16, 16]);

    // Act
    const low = h.lowerBound(21_000);

    // Assert
    expect(low).toEqual([10, 10, 10]);
  });

  it('should cap the lower bound at a cut sent since the sample, answered or not', () => {
    // Arrange
    const h = new DrawHistory();
    h.addLimit(0, 16);
    h.addSample(10_000, [16, 16, 16]);
    h.addLimit(12_000, 8, false);

    // Act, Assert
    expect(h.lowerBound(13_000)).toEqual([8, 8, 8]);
  });

  it('should know nothing below zero before the first sample', () => {
    const h = new DrawHistory();
    h.addLimit(0, 16);
    expect(h.lowerBound(10_000)).toEqual([0, 0, 0]);
  });

  it('should count a following car that is being cut anywhere between its new limit and the highest of the last response time', () => {
    // Arrange: a car that drew its 16 A is cut to 8 A (answered at 20 s)
    const h = new DrawHistory();
    h.addLimit(0, 16);
    h.addSample(10_000, [16, 16, 16]);
    h.addLimit(20_000, 8);

    // Act
    const during = h.best(22_000, R, 2, 3);
    const after = h.best(26_000, R, 2, 3);

    // Assert
    expect(during).toEqual({ high: [16, 16, 16], low: [8, 8, 8] });
    expect(after).toEqual({ high: [8, 8, 8], low: [8, 8, 8] });
  });

  it('should count a car that is being raised anywhere between its old limit and its new one until it had time to follow', () => {
    // Arrange: a car that drew its 10 A is raised to 16 A (answered at 20 s); it ramps for up to the response time
    const h = new DrawHistory();
    h.addLimit(0, 10);
    h.addSample(10_000, [10, 10, 10]);
    h.addLimit(20_000, 16);

    // Act
    const during = h.best(22_000, R, 2, 3);
    const after = h.best(26_000, R, 2, 3);

    // Assert: while it ramps, other load told from the meter must not fall by what it has not drawn yet
    expect(during).toEqual({ high: [16, 16, 16], low: [10, 10, 10] });
    expect(after).toEqual({ high: [16, 16, 16], low: [16, 16, 16] });
  });

  it('should count a car that draws clearly less than it holds at the mean of its samples since the last change', () => {
    // Arrange: 32 A offered for long, the car takes about 10 A on one phase
    const h = new DrawHistory();
    h.addLimit(0, 32);
    h.addSample(10_000, [10.2, 0, 0]);
    h.addSample(20_000, [9.8, 0, 0]);

    // Act, Assert
    const { high, low } = h.best(25_000, R, 2, 1);
    expect([...high, ...low].map((a) => Math.round(a * 10) / 10)).toEqual([10, 0, 0, 10, 0, 0]);
  });

  it('should not judge a car from a sample taken while its session was still starting', () => {
    // Arrange: plugged in at 0 s, a sample 1 s later shows it still starting
    const h = new DrawHistory();
    h.addLimit(0, 16);
    h.addSample(1_000, [1.5, 1.5, 1.5]);

    // Act, Assert: it may draw anything up to its limit
    expect(h.best(3_000, R, 2, 3)).toEqual({ high: [16, 16, 16], low: [0, 0, 0] });
  });

  it('should know a cut car followed once a sample taken after the cut shows it within its new limit', () => {
    // Arrange
    const h = new DrawHistory();
    h.addLimit(0, 16);
    h.addLimit(20_000, 8);
    h.addSample(21_000, [8, 8, 8]);

    // Act, Assert
    expect(h.mayDraw(22_000, R)).toBe(8);
    expect(h.best(22_000, R, 2, 3)).toEqual({ high: [8, 8, 8], low: [8, 8, 8] });
  });

  it('should not take a sample taken after the meter read as proof that the car had followed by then', () => {
    // Arrange: cut from 16 A to 8 A at 20 s; the car is still ramping down at 21 s, a sample at 22 s shows it at 8 A
    const h = new DrawHistory();
    h.addLimit(0, 16);
    h.addSample(19_000, [16, 16, 16]);
    h.addLimit(20_000, 8);
    h.addSample(22_000, [8, 8, 8]);

    // Act, Assert: at the meter's instant (21 s) it may still draw 16 A; from 22 s on it drew 8 A
    expect(h.mayDraw(21_000, R)).toBe(16);
    expect(h.best(21_000, R, 2, 3).high).toEqual([16, 16, 16]);
    expect(h.mayDraw(22_000, R)).toBe(8);
  });

  it('should keep judging a car from its samples when its lease is renewed at the same limit', () => {
    // Arrange: 16 A offered since 0 s, the car draws 15 A (too close to its limit to be judged from one sample); the lease (expiring at 120 s) is renewed at 60 s
    const h = new DrawHistory();
    h.addLimit(0, 16);
    h.addLimit(120_000, 6);
    h.addSample(10_000, [15, 15, 15]);
    h.addSample(50_000, [15, 15, 15]);
    h.addLimit(60_000, 16);
    h.addLimit(180_000, 6);

    // Act, Assert: still counted at its draw, not at the limit
    expect(h.best(70_000, R, 2, 3)).toEqual({ high: [15, 15, 15], low: [15, 15, 15] });
    expect(h.limitAt(150_000)).toBe(16);
  });

  it('should show a car steady at its limit once two samples a second apart agree after its response time', () => {
    // Arrange: offered 16 A since 10 s; the car ramps, then takes 14 A
    const h = new DrawHistory();
    h.addLimit(10_000, 16);
    h.addSample(13_000, [9, 9, 9]);
    h.addSample(15_300, [14, 14, 14]);

    // Act
    const one = h.smoothed(R);
    h.addSample(15_800, [14.1, 14.1, 14.1]);
    const tooClose = h.smoothed(R);
    h.addSample(16_800, [13.9, 13.9, 13.9]);
    const steady = h.smoothed(R);
    h.addLimit(17_000, 20);
    h.addSample(17_500, [14, 14, 14]);
    const raised = h.smoothed(R);

    // Assert: one sample, or two within a second, may be a ramp passing by; a new limit starts over
    expect(one?.steadyAtAmps).toBeUndefined();
    expect(tooClose?.steadyAtAmps).toBeUndefined();
    expect(steady?.steadyAtAmps).toBe(16);
    expect(steady?.amps[0]).toBeCloseTo(14, 5);
    expect(raised?.steadyAtAmps).toBeUndefined();
  });

  it('should tell a car that is still starting by its newest sample, not by the mean with its first slow ones', () => {
    // Arrange: offered 9.3 A since 46 s; a slow start shows 2 A at 51 s, then 9.4 A at 61 s
    const h = new DrawHistory();
    h.addLimit(46_000, 9.3);
    h.addSample(51_000, [2, 2, 2]);
    h.addSample(61_000, [9.4, 9.4, 9.4]);

    // Act, Assert: it draws its limit (a mean of 5.7 A read as a car taking less, and closed loop capped it)
    expect(h.smoothed(R)!.amps).toEqual([9.4, 9.4, 9.4]);
  });

  it('should not average in a ramp that began after the limit change: a car that starts late is told from its start on', () => {
    // Arrange: offered 14 A at 15.2 s; not drawing at 16.8 s, then ramping (5 A at 20.3 s, 5.1 s after the change) up
    // to what it takes, 5.82 A at 21.8 s (found by the property test: a mean of 5.41 A capped it at 6.5 A, half the
    // margin above its 6 A, and a noisy mean of 6.03 A released the cap two minutes later)
    const h = new DrawHistory();
    h.addLimit(15_200, 14);
    h.addSample(16_800, [0, 0, 0]);
    h.addSample(20_300, [5, 0, 0]);
    h.addSample(21_800, [5.82, 0, 0]);

    // Act
    const drawn = h.smoothed(R);

    // Assert: only samples 5 s after the last one that showed it not drawing
    expect(drawn?.amps).toEqual([5.82, 0, 0]);
    expect(drawn?.steadyAtAmps).toBeUndefined();
  });
});
