import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsampleTelemetry } from '../../../../cloud/api/telemetry-downsample';
import type { TelemetrySample } from '../../../../cloud/ports/telemetry-repository';

const sample = (at: number, l1: number, watts?: number): TelemetrySample => ({
  tenantId: 't',
  siteId: 's',
  at,
  messageId: `m${at}`,
  gridAmps: [l1, 0, 0],
  ...(watts !== undefined ? { chargingWatts: watts } : {}),
});

describe('downsampleTelemetry', () => {
  it('should average and keep the peak per bucket, leaving empty buckets out', () => {
    const points = downsampleTelemetry([sample(0, 10, 100), sample(5, 30, 300), sample(25, 7)], {
      from: 0,
      to: 30,
      points: 3,
    });
    expect(points).toEqual([
      {
        at: 0,
        samples: 2,
        gridAmps: [20, 0, 0],
        gridAmpsMax: [30, 0, 0],
        allocatedAmps: null,
        chargingWatts: 200,
        chargingWattsMax: 300,
      },
      {
        at: 20,
        samples: 1,
        gridAmps: [7, 0, 0],
        gridAmpsMax: [7, 0, 0],
        allocatedAmps: null,
        chargingWatts: null,
        chargingWattsMax: null,
      },
    ]);
  });

  it('should never return more points than asked, and account for every sample in range', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9999 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        (times, points) => {
          const result = downsampleTelemetry(
            times.map((t) => sample(t, 1)),
            { from: 0, to: 10_000, points },
          );
          expect(result.length).toBeLessThanOrEqual(points);
          expect(result.reduce((sum, p) => sum + p.samples, 0)).toBe(times.length);
          expect(result.map((p) => p.at)).toEqual([...result.map((p) => p.at)].sort((a, b) => a - b));
        },
      ),
    );
  });

  it('should give a bucket the mean share of chargers linked to the CSMS and its largest backlog', () => {
    // Arrange: 4 chargers; one sample all linked, one with none (a short outage), one with a charger back
    const linked = (at: number, connected: number, backlogMessages: number): TelemetrySample => ({
      ...sample(at, 1),
      csms: { chargers: 4, connected, backlogMessages, setAside: 0 },
    });

    // Act
    const points = downsampleTelemetry([linked(0, 4, 0), linked(3, 0, 40), linked(6, 1, 12), sample(25, 1)], {
      from: 0,
      to: 30,
      points: 3,
    });

    // Assert: (100 + 0 + 25) / 3 linked, the peak backlog kept; a bucket without CSMS figures has none
    expect(points[0]?.csmsLink).toEqual({ linkedPercent: 125 / 3, backlogMessages: 40 });
    expect(points[0]?.csms?.connected).toBe(1);
    expect(points[1]).not.toHaveProperty('csmsLink');
  });
});
