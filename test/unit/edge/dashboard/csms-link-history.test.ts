import { describe, expect, it } from 'vitest';
import { CsmsLinkHistory } from '../../../../edge/dashboard/live/csms-link-history';
import { RANGE_MS } from '../../../../edge/dashboard/live/sample-ring';

const health = (connected: number, backlogMessages: number) => ({
  chargers: 4,
  connected,
  backlogMessages,
  setAside: 0,
});

describe('CsmsLinkHistory', () => {
  it('should keep one point per interval, each with its share linked and backlog', () => {
    const history = new CsmsLinkHistory(10_000);
    expect(history.record(0, health(4, 0))).toEqual({ at: 0, linkedPercent: 100, backlogMessages: 0 });
    expect(history.record(5_000, health(0, 9))).toBeUndefined();
    expect(history.record(10_000, health(1, 3))).toEqual({ at: 10_000, linkedPercent: 25, backlogMessages: 3 });
    expect(history.since(0, 100)).toEqual({
      points: [
        { at: 0, linkedPercent: 100, backlogMessages: 0 },
        { at: 10_000, linkedPercent: 25, backlogMessages: 3 },
      ],
      stepMs: 10_000,
    });
  });

  it('should hold a day at most and give at most the points asked, each bucket its mean share and peak backlog', () => {
    // Arrange: a day and an hour of minutes; the link down every other minute, the backlog rising while down
    const history = new CsmsLinkHistory(60_000);
    const minutes = RANGE_MS.day / 60_000 + 60;
    for (let i = 0; i < minutes; i++) history.record(i * 60_000, i % 2 ? health(0, i) : health(4, 0));

    // Act
    const { points, stepMs } = history.since(0, 360);

    // Assert: 1,440 minutes kept, 4 a bucket: half of them linked, the bucket's last odd minute its backlog
    expect(points).toHaveLength(360);
    expect(stepMs).toBe(240_000);
    expect(points[0]).toEqual({ at: 63 * 60_000, linkedPercent: 50, backlogMessages: 63 });
    expect(points.every((p) => p.linkedPercent === 50)).toBe(true);
  });
});
