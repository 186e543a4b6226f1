/** A site in front of an operator's CSMS sends its CSMS link health with each telemetry sample, and only such a site. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Allocation } from '../../../../shared/allocation/allocation-types';
import { SiteSchema } from '../../../../shared/site/site-schema';
import type { CsmsLinkHealth } from '../../../../shared/sync/sync-messages';
import { ControlOutboxObserver } from '../../../../edge/sync/control-outbox-observer';
import { Outbox } from '../../../../edge/sync/outbox';
import { openOutboxDatabase, type OutboxDatabase } from '../../../../edge/sync/outbox-database';
import { tempDir } from './sync-builders';

const site = SiteSchema.parse({
  $schemaVersion: 1,
  id: 'site-1',
  circuits: [{ id: 'grid', parent: null, fuseAmps: 63 }],
  chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32 }],
});
const allocation: Allocation = {
  at: 0,
  connectors: [],
  circuits: [
    { id: 'grid', limitAmps: [50, 50, 50], allocatedAmps: [0, 0, 0], otherLoadAmps: [10, 10, 10], meter: 'ok' },
  ],
  budget: { unit: 'A', value: 50, source: 'static' },
  totalAmps: [0, 0, 0],
};

describe('ControlOutboxObserver with a CSMS link', () => {
  const opened: { db: OutboxDatabase; remove: () => void }[] = [];
  afterEach(() => {
    for (const { db, remove } of opened.splice(0)) {
      db.close();
      remove();
    }
  });

  function telemetryWith(csmsHealth: (() => CsmsLinkHealth | undefined) | undefined): Record<string, unknown>[] {
    const tmp = tempDir();
    const db = openOutboxDatabase(tmp.dir);
    opened.push({ db, remove: tmp.remove });
    const outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 1024 ** 2, now: () => 0 });
    const observer = new ControlOutboxObserver(outbox, {
      site: () => site,
      telemetryIntervalMs: 10_000,
      openSessions: () => [],
      log: { info: () => {}, warn: () => {}, error: () => {} },
      ...(csmsHealth && { csmsHealth }),
    });
    observer.onControlEvent({ type: 'allocation', at: 0, allocation, changed: true });
    return outbox
      .read('telemetry', 0, 10)
      .map((r) => (JSON.parse(r.message) as { body: Record<string, unknown> }).body);
  }

  it('should send the CSMS link health with the telemetry sample', () => {
    const health = { chargers: 1, connected: 0, backlogMessages: 4, oldestQueuedAt: 1_000, setAside: 0 };
    expect(telemetryWith(() => health)[0]?.csms).toEqual(health);
  });

  it('should send no CSMS field for a site without an operator CSMS', () => {
    expect(telemetryWith(undefined)[0]).not.toHaveProperty('csms');
  });
});
