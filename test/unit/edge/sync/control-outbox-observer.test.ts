import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Allocation } from '../../../../shared/allocation/allocation-types';
import { SiteSchema } from '../../../../shared/site/site-schema';
import type { SessionRecord } from '../../../../edge/control/control-ports';
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
const allocation = (at: number): Allocation => ({
  at,
  connectors: [],
  circuits: [
    { id: 'grid', limitAmps: [50, 50, 50], allocatedAmps: [16, 16, 16], otherLoadAmps: [10, 10, 10], meter: 'ok' },
  ],
  budget: { unit: 'A', value: 50, source: 'static' },
  totalAmps: [16, 16, 16],
});

/** The cloud's session body for transaction 7 on CP-1/1 (tag TAG, started at 1 s), as the outbox should carry it. */
const sessionBody = (state: 'started' | 'updated' | 'stopped', energyWh: number, stoppedAt?: number) => ({
  sessionId: '7',
  chargerId: 'CP-1',
  connectorId: 1,
  idTag: 'TAG',
  state,
  startedAt: 1_000,
  ...(stoppedAt !== undefined && { stoppedAt }),
  energyWh,
});

describe('ControlOutboxObserver', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: OutboxDatabase;
  let outbox: Outbox;
  let observer: ControlOutboxObserver;
  const open: SessionRecord[] = [];
  const bodies = (stream: 'telemetry' | 'sessions' | 'events') =>
    outbox.read(stream, 0, 100).map((r) => (JSON.parse(r.message) as { body: Record<string, unknown> }).body);

  beforeEach(() => {
    tmp = tempDir();
    db = openOutboxDatabase(tmp.dir);
    outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 1024 ** 2, now: () => 0 });
    open.length = 0;
    observer = new ControlOutboxObserver(outbox, {
      site: () => site,
      telemetryIntervalMs: 10_000,
      openSessions: () => open,
      log: { info: () => {}, warn: () => {}, error: () => {} },
    });
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('should turn allocations into one telemetry sample per interval', () => {
    for (const at of [0, 3_000, 9_999, 10_000, 15_000, 20_001])
      observer.onControlEvent({ type: 'allocation', at, allocation: allocation(at), changed: true });
    expect(bodies('telemetry')).toHaveLength(3);
    expect(bodies('telemetry')[0]).toMatchObject({
      gridAmps: [26, 26, 26],
      evAmps: [16, 16, 16],
      limitAmps: [50, 50, 50],
      fuseAmps: [63, 63, 63],
      meter: 'ok',
    });
  });

  it('should queue no telemetry while its cluster node does not lead, and the next sample once it leads', () => {
    // Arrange: a cluster node's observer, standby first
    const node = { leads: false };
    const onNode = new ControlOutboxObserver(outbox, {
      site: () => site,
      telemetryIntervalMs: 10_000,
      openSessions: () => open,
      log: { info: () => {}, warn: () => {}, error: () => {} },
      leads: () => node.leads,
    });

    // Act: allocations as a standby, then as the leader
    for (const at of [0, 10_000, 20_000])
      onNode.onControlEvent({ type: 'allocation', at, allocation: allocation(at), changed: true });
    onNode.reportNow(25_000);
    const asStandby = bodies('telemetry').length;
    node.leads = true;
    onNode.onControlEvent({ type: 'allocation', at: 26_000, allocation: allocation(26_000), changed: true });

    // Assert: none as a standby (its load is not the site's); the leader's first round sends one at once
    expect(asStandby).toBe(0);
    expect(bodies('telemetry')).toHaveLength(1);
  });

  it('should send "storage full" as a critical event and its recovery as an info event', () => {
    observer.onControlEvent({ type: 'storagePaused', at: 1_000, reason: 'database or disk is full' });
    observer.onControlEvent({ type: 'storageRecovered', at: 61_000, pausedAt: 1_000, writes: 12 });
    expect(bodies('events')).toEqual([
      {
        kind: 'storage.full',
        severity: 'critical',
        message:
          'storage unavailable: history paused (the disk is full); control carries on from memory, writes are retried',
        reason: 'event.storagePaused',
        params: { reason: { ref: 'storageCause.diskFull' } },
        details: { reason: 'database or disk is full' },
      },
      {
        kind: 'storage.recovered',
        severity: 'info',
        message: 'storage recovered: 12 waiting writes stored',
        reason: 'event.storageRecovered',
        params: { writes: 12 },
        details: { pausedAt: 1_000, writes: 12 },
      },
    ]);
  });

  it("should queue session starts and ends with the charger's start and stop times and the energy", () => {
    // Received later than they happened: the charger queued them while offline.
    observer.onControlEvent({
      type: 'sessionStarted',
      at: 20_000,
      ref: 'CP-1/1',
      transactionId: 7,
      idTag: 'TAG',
      startedAt: 1_000,
    });
    observer.onControlEvent({
      type: 'sessionEnded',
      at: 20_000,
      ref: 'CP-1/1',
      transactionId: 7,
      startedAt: 1_000,
      stoppedAt: 9_000,
      idTag: 'TAG',
      energyWh: 1234,
    });
    expect(bodies('sessions')).toEqual([sessionBody('started', 0), sessionBody('stopped', 1234, 9_000)]);
  });

  it('should send the energy so far of each charging session with the telemetry, only when it grew', () => {
    const charging = (energyWh: number): SessionRecord => ({
      transactionId: 7,
      chargerId: 'CP-1',
      connectorId: 1,
      idTag: 'TAG',
      startedAt: 1_000,
      meterStartWh: 500,
      energyWh,
    });
    open.push(charging(0));
    observer.onControlEvent({ type: 'allocation', at: 2_000, allocation: allocation(2_000), changed: true });
    open[0] = charging(2_500);
    observer.onControlEvent({ type: 'allocation', at: 12_000, allocation: allocation(12_000), changed: true });
    observer.onControlEvent({ type: 'allocation', at: 22_000, allocation: allocation(22_000), changed: true });
    open[0] = charging(4_100);
    observer.onControlEvent({ type: 'allocation', at: 25_000, allocation: allocation(25_000), changed: true });
    observer.onControlEvent({ type: 'allocation', at: 32_000, allocation: allocation(32_000), changed: true });
    expect(bodies('sessions')).toEqual([sessionBody('updated', 2_500), sessionBody('updated', 4_100)]);
  });

  it('should stop a session that started before a restart under its own start time and tag, so the cloud updates the same row', () => {
    // A new observer (a restarted agent) never saw the start.
    observer.onControlEvent({
      type: 'sessionEnded',
      at: 9_000,
      ref: 'CP-1/1',
      transactionId: 7,
      startedAt: 1_000,
      stoppedAt: 9_000,
      idTag: 'TAG',
      energyWh: 1234,
    });
    expect(bodies('sessions')).toEqual([sessionBody('stopped', 1234, 9_000)]);
  });

  it('should queue faults as events that are never dropped', () => {
    observer.onControlEvent({
      type: 'meterLost',
      at: 1,
      meterId: 'm1',
      circuitId: 'grid',
      reason: { reason: 'meterFault.noReading' },
    });
    observer.onControlEvent({ type: 'chargerUnresponsive', at: 2, chargerId: 'CP-1' });
    expect(bodies('events').map((b) => [b.kind, b.severity])).toEqual([
      ['meter.lost', 'critical'],
      ['charger.unresponsive', 'warning'],
    ]);
  });

  it('should tell the fleet which connectors were adopted and which transactions were refused, and why', () => {
    observer.onControlEvent({ type: 'connectorAdopted', at: 1, ref: 'CP-1/2', cause: 'transaction' });
    observer.onControlEvent({
      type: 'connectorRefused',
      at: 2,
      ref: 'CP-1/12',
      reason: { reason: 'event.adoptionRefused.tooMany', params: { connectorId: 12, max: 10 } },
      transactionId: 8,
    });
    expect(bodies('events')).toEqual([
      {
        kind: 'connector.adopted',
        severity: 'warning',
        message: 'connector CP-1/2 is not in the site file: adopted under its charger (a transaction started on it)',
        reason: 'siteEvent.connectorAdopted',
        params: { connector: 'CP-1/2', cause: { ref: 'event.adoptionCause.transaction' } },
        chargerId: 'CP-1',
        details: { connectorId: 2, cause: 'transaction' },
      },
      {
        kind: 'connector.refused',
        severity: 'warning',
        message:
          'connector CP-1/12 cannot be controlled: connector 12 would exceed the 10 connectors a charger may have',
        reason: 'siteEvent.connectorRefused',
        params: {
          connector: 'CP-1/12',
          reason: { ref: 'event.adoptionRefused.tooMany', params: { connectorId: 12, max: 10 } },
        },
        chargerId: 'CP-1',
        details: { connectorId: 12, transactionId: 8 },
      },
    ]);
  });

  it('should pass on the ref of a refused connector that is no valid reference as it is, without a charger id', () => {
    observer.onControlEvent({
      type: 'connectorRefused',
      at: 1,
      ref: 'CP-1/0',
      reason: { reason: 'event.adoptionRefused.notConnectorId', params: { connectorId: 0 } },
      transactionId: undefined,
    });
    expect(bodies('events')).toEqual([
      {
        kind: 'connector.refused',
        severity: 'warning',
        message: 'connector CP-1/0 cannot be controlled: connector 0 is not a connector id',
        reason: 'siteEvent.connectorRefused',
        params: {
          connector: 'CP-1/0',
          reason: { ref: 'event.adoptionRefused.notConnectorId', params: { connectorId: 0 } },
        },
        details: { ref: 'CP-1/0' },
      },
    ]);
  });
});
