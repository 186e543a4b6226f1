/**
 * Issue 18: while peak-demand control counts, each telemetry sample carries the month's peak with control and the
 * estimate of the peak without it (the other load plus the cars uncapped, averaged over the same periods).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Allocation } from '../../../../shared/allocation/allocation-types';
import type { DemandAnswer } from '../../../../shared/dashboard/demand-answer';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { ControlOutboxObserver } from '../../../../edge/sync/control-outbox-observer';
import { Outbox } from '../../../../edge/sync/outbox';
import { openOutboxDatabase, type OutboxDatabase } from '../../../../edge/sync/outbox-database';
import { tempDir } from './sync-builders';

const site = SiteSchema.parse({
  $schemaVersion: 1,
  id: 'site-1',
  circuits: [{ id: 'grid', parent: null, fuseAmps: 63, meterId: 'grid' }],
  chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32 }],
});
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const PERIOD_MS = 15 * 60_000;
const period = (k: number) => ({ start: T0 + k * PERIOD_MS, end: T0 + (k + 1) * PERIOD_MS, month: '2026-12' });

/** A round with `otherAmps` of other load per phase and one car held at 8 A that would take 32 A. */
const round = (at: number, otherAmps: number): Allocation => ({
  at,
  connectors: [
    {
      ref: 'CP-1/1',
      chargerId: 'CP-1',
      connectorId: 1,
      amps: 8,
      phaseAmps: [8, 8, 8],
      phases: 3,
      activity: 'active',
      since: T0,
      changedAt: T0,
      reason: 'fairShare',
      vip: false,
      priority: 0,
    },
  ],
  circuits: [
    {
      id: 'grid',
      limitAmps: [63, 63, 63],
      allocatedAmps: [8, 8, 8],
      otherLoadAmps: [otherAmps, otherAmps, otherAmps],
      meter: 'ok',
    },
  ],
  budget: { unit: 'A', value: 48, source: 'static', demandKw: 5.5 },
  totalAmps: [8, 8, 8],
});

describe('ControlOutboxObserver with peak-demand control', () => {
  const opened: { db: OutboxDatabase; remove: () => void }[] = [];
  afterEach(() => {
    for (const { db, remove } of opened.splice(0)) {
      db.close();
      remove();
    }
  });

  function observe(status: () => DemandAnswer) {
    const tmp = tempDir();
    const db = openOutboxDatabase(tmp.dir);
    opened.push({ db, remove: tmp.remove });
    const outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 1024 ** 2, now: () => T0 });
    const observer = new ControlOutboxObserver(outbox, {
      site: () => site,
      telemetryIntervalMs: PERIOD_MS,
      openSessions: () => [],
      log: { info: () => {}, warn: () => {}, error: () => {} },
      demandStatus: status,
    });
    const bodies = () =>
      outbox.read('telemetry', 0, 100).map((r) => (JSON.parse(r.message) as { body: Record<string, unknown> }).body);
    return { observer, bodies };
  }

  it("should send the month's peak and the uncontrolled estimate of each period seen", () => {
    // Arrange: a period of 10 A other load, then one of 20 A; the car takes 32 A uncapped on 3 phases.
    let k = 0;
    const status = (): DemandAnswer => ({
      enabled: true,
      period: period(k),
      averageSoFarKw: 10,
      forecastKw: 12,
      targetKw: 15,
      chargersCapKw: 5,
      uncertain: false,
      monthPeaks: [{ month: '2026-12', kw: 14.2, at: T0 - PERIOD_MS }],
    });
    const { observer, bodies } = observe(status);

    // Act: a round a minute through each period, and one into a third
    for (let s = 0; s < 2 * 15; s++) {
      k = Math.floor(s / 15);
      const at = T0 + s * 60_000;
      observer.onControlEvent({ type: 'allocation', at, allocation: round(at, k === 0 ? 10 : 20), changed: false });
    }
    k = 2;
    const last = T0 + 2 * PERIOD_MS;
    observer.onControlEvent({ type: 'allocation', at: last, allocation: round(last, 0), changed: false });

    // Assert: the first sample went before any period closed; the last one scores the 20 A period
    const demand = bodies().map((b) => b.demand);
    expect(demand[0]).toEqual({
      month: '2026-12',
      periodMinutes: 15,
      peakKw: 14.2,
      peakAt: T0 - PERIOD_MS,
      uncontrolledPeakKw: 0,
    });
    expect(demand.at(-1)).toMatchObject({ peakKw: 14.2 });
    expect((demand.at(-1) as { uncontrolledPeakKw: number }).uncontrolledPeakKw).toBeCloseTo(
      ((60 + 96) * 230) / 1000,
      6,
    );
  });

  it('should send no demand field while peak-demand control is off', () => {
    const off: DemandAnswer = {
      enabled: false,
      period: null,
      averageSoFarKw: null,
      forecastKw: null,
      targetKw: null,
      chargersCapKw: null,
      uncertain: false,
      monthPeaks: [],
    };
    const { observer, bodies } = observe(() => off);
    observer.onControlEvent({ type: 'allocation', at: T0, allocation: round(T0, 10), changed: false });
    expect(bodies()[0]).not.toHaveProperty('demand');
  });
});
