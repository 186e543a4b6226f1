import { describe, expect, it } from 'vitest';
import type { LoadSample } from '../../../../shared/dashboard/api-answers';
import { LoadHistory } from '../../../../edge/dashboard/live/load-history';
import { RANGE_MS } from '../../../../edge/dashboard/live/sample-ring';

const sample = (at: number, evAmps: number, grid: LoadSample['gridAmps'] = null): LoadSample => ({
  at,
  gridAmps: grid,
  evAmps: [evAmps, evAmps, evAmps - 1],
  budgetAmps: 48,
  fuseAmps: 63,
});

describe('LoadHistory', () => {
  it('should keep one sample per interval', () => {
    const history = new LoadHistory(10_000);
    expect([0, 4_000, 10_000, 19_999, 20_000].map((at) => history.record(sample(at, 1)))).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(history.since(0, 100).samples.map((s) => s.at)).toEqual([0, 10_000, 20_000]);
  });

  it('should hold a day at most, overwriting the oldest samples', () => {
    const history = new LoadHistory(60_000);
    const perDay = RANGE_MS.day / 60_000;
    for (let i = 0; i < perDay + 10; i++) history.record(sample(i * 60_000, i));
    const { samples } = history.since(0, perDay * 2);
    expect(samples).toHaveLength(perDay);
    expect(samples[0]!.evAmps[0]).toBe(10);
    expect(samples.at(-1)!.evAmps[0]).toBe(perDay + 9);
  });

  it('should thin a long range to the point budget, keeping each bucket’s peak', () => {
    const history = new LoadHistory(10_000);
    const loads = [5, 40, 7, 8, 9, 30];
    loads.forEach((load, i) => history.record(sample(i * 10_000, load)));
    const thinned = history.since(0, 2);
    expect(thinned.stepMs).toBe(30_000);
    expect(thinned.samples.map((s) => [s.at, s.evAmps])).toEqual([
      [20_000, [40, 40, 39]],
      [50_000, [30, 30, 29]],
    ]);
  });

  it('should keep each phase’s own peak in a bucket, and no grid load where no sample had one', () => {
    const history = new LoadHistory(10_000);
    history.record(sample(0, 5, [30, 1, 2]));
    history.record(sample(10_000, 5, null));
    history.record(sample(20_000, 5, [3, 20, 4]));
    history.record(sample(30_000, 5, null));
    const thinned = history.since(0, 2);
    expect(thinned.samples.map((s) => s.gridAmps)).toEqual([
      [30, 1, 2],
      [3, 20, 4],
    ]);
    history.record(sample(40_000, 5, null));
    history.record(sample(50_000, 5, null));
    expect(history.since(40_000, 1).samples.map((s) => s.gridAmps)).toEqual([null]);
  });
});
