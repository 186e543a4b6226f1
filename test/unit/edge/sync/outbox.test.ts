import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SiteBatchSchema } from '../../../../shared/sync/sync-messages';
import { messageIdSeq } from '../../../../edge/sync/message-id';
import { MAX_OUTBOX_MESSAGE_BYTES, Outbox } from '../../../../edge/sync/outbox';
import { openOutboxDatabase, type OutboxDatabase } from '../../../../edge/sync/outbox-database';
import { eventBody, sessionBody, telemetryBody, tempDir } from './sync-builders';

describe('Outbox', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: OutboxDatabase;
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const open = (maxBytes = 64 * 1024 ** 2) => new Outbox(db, { siteId: 'site-1', maxBytes, now });
  const reopen = (maxBytes?: number) => {
    db.close();
    db = openOutboxDatabase(tmp.dir);
    return open(maxBytes);
  };

  beforeEach(() => {
    tmp = tempDir();
    db = openOutboxDatabase(tmp.dir);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('should store a message with a sortable unique id before anything is sent', () => {
    const outbox = open();
    const a = outbox.enqueue('telemetry', telemetryBody());
    const b = outbox.enqueue('sessions', sessionBody(1));
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.messageId < b.messageId).toBe(true);
    expect(outbox.stats()).toMatchObject({
      messages: 2,
      byStream: { telemetry: 1, sessions: 1, events: 0 },
      oldestAt: clock,
    });
    const rows = outbox.read('sessions', 0, 10);
    const batch = SiteBatchSchema.parse({ v: 1, messages: rows.map((r) => JSON.parse(r.message) as unknown) });
    expect(batch.messages[0]).toMatchObject({
      messageId: b.messageId,
      siteId: 'site-1',
      stream: 'sessions',
      at: clock,
    });
  });

  it('should keep messages and continue the id sequence across a restart, even after every message was acknowledged', () => {
    let outbox = open();
    const first = outbox.enqueue('events', eventBody('info'));
    outbox.acknowledge(outbox.read('events', 0, 10).map((r) => r.seq));
    outbox.enqueue('events', eventBody('warning'));
    outbox = reopen();
    expect(outbox.stats().messages).toBe(1);
    const next = outbox.enqueue('events', eventBody('critical'));
    expect(first.ok && next.ok).toBe(true);
    if (first.ok && next.ok) expect(messageIdSeq(next.messageId)).toBe(messageIdSeq(first.messageId)! + 2);
    expect(
      outbox.read('events', 0, 10).map((r) => (JSON.parse(r.message) as { body: { severity: string } }).body.severity),
    ).toEqual(['warning', 'critical']);
  });

  it('should delete only acknowledged messages and read the rest in order', () => {
    const outbox = open();
    for (let n = 0; n < 5; n++) outbox.enqueue('sessions', sessionBody(n));
    const rows = outbox.read('sessions', 0, 10);
    outbox.acknowledge([rows[0]!.seq, rows[1]!.seq]);
    expect(outbox.read('sessions', 0, 10).map((r) => r.seq)).toEqual(rows.slice(2).map((r) => r.seq));
    expect(outbox.read('sessions', rows[2]!.seq, 1).map((r) => r.seq)).toEqual([rows[3]!.seq]);
  });

  it('should cut a read at the byte limit but always return at least one row', () => {
    const outbox = open();
    for (let n = 0; n < 10; n++) outbox.enqueue('telemetry', telemetryBody(n));
    const size = outbox.read('telemetry', 0, 1)[0]!.bytes;
    expect(outbox.read('telemetry', 0, 10, size * 3 + 3)).toHaveLength(3);
    expect(outbox.read('telemetry', 0, 10, 1)).toHaveLength(1);
  });

  it.each([
    ['telemetry', { ...telemetryBody(), charging: -1 }, 'body.charging'],
    ['sessions', { ...sessionBody(1), chargerId: 'bad id' }, 'body.chargerId'],
    ['events', { ...eventBody('info'), severity: 'loud' }, 'body.severity'],
  ] as const)('should reject an invalid %s body with its path', (stream, body, path) => {
    const result = open().enqueue(stream, body as never);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
  });

  it('should reject a message larger than a batch can carry', () => {
    const result = open().enqueue('events', {
      ...eventBody('info'),
      details: Object.fromEntries(Array.from({ length: 400 }, (_, k) => [`k${k}`, 'x'.repeat(400)])),
    });
    expect(result).toMatchObject({
      ok: false,
      issues: [{ path: 'body', message: expect.stringContaining(String(MAX_OUTBOX_MESSAGE_BYTES)) as unknown }],
    });
  });

  it('should downsample telemetry first when full and never drop sessions or warnings', () => {
    const outbox = open(64 * 1024);
    for (let n = 0; n < 50; n++) outbox.enqueue('sessions', sessionBody(n));
    for (let n = 0; n < 50; n++) outbox.enqueue('events', eventBody('warning'));
    for (let n = 0; n < 2000; n++) {
      clock += 10_000;
      outbox.enqueue('telemetry', telemetryBody(n % 5));
    }
    const stats = outbox.stats();
    expect(stats.bytes).toBeLessThanOrEqual(64 * 1024 + 2048);
    expect(stats.byStream).toMatchObject({ sessions: 50, events: 50 });
    expect(stats.telemetryThinned).toBeGreaterThan(0);
    expect(stats.byStream.telemetry).toBeGreaterThan(0);
    // Thinning spreads over time: the newest and some of the oldest telemetry are still there.
    const telemetry = outbox.read('telemetry', 0, 10_000, Number.MAX_SAFE_INTEGER);
    expect(telemetry.length).toBe(stats.byStream.telemetry);
  });

  it('should drop info events after telemetry and report over limit when only keepers remain', () => {
    const outbox = open(64 * 1024);
    for (let n = 0; n < 100; n++) outbox.enqueue('events', eventBody('info'));
    for (let n = 0; n < 400; n++) outbox.enqueue('sessions', sessionBody(n));
    const stats = outbox.stats();
    expect(stats.byStream.sessions).toBe(400);
    expect(stats.byStream.events).toBe(0);
    expect(stats.eventsDropped).toBe(100);
    expect(stats.overLimit).toBe(true);
  });

  it('should recount stored messages after a restart', () => {
    const outbox = open();
    for (let n = 0; n < 3; n++) outbox.enqueue('telemetry', telemetryBody());
    const bytes = outbox.stats().bytes;
    expect(reopen().stats()).toMatchObject({ messages: 3, bytes, byStream: { telemetry: 3 } });
  });
});

describe('Outbox on a disk that takes no writes', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: OutboxDatabase;
  const now = () => 1_700_000_000_000;

  beforeEach(() => {
    tmp = tempDir();
    db = openOutboxDatabase(tmp.dir);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('should hold sessions, events and the latest telemetry in memory with their ids, and store them first, in order, once it can', () => {
    // Arrange
    const outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 64 * 1024 ** 2, now });
    outbox.enqueue('events', eventBody('info'));
    db.pragma('query_only = ON');

    // Act: four messages while nothing can be written (two telemetry samples), then one after
    const held = [
      outbox.enqueue('events', eventBody('critical')),
      outbox.enqueue('telemetry', telemetryBody(1)),
      outbox.enqueue('sessions', sessionBody(1)),
      outbox.enqueue('telemetry', telemetryBody(2)),
    ];
    const whileFull = outbox.stats();
    db.pragma('query_only = OFF');
    const after = outbox.enqueue('sessions', sessionBody(2));

    // Assert: nothing thrown, every held message kept its id, and only the newest telemetry sample was kept
    const idOf = (r: (typeof held)[number]) => (r.ok ? r.messageId : 'not queued');
    expect(whileFull).toMatchObject({ messages: 1, held: 3 });
    expect(outbox.stats()).toMatchObject({ messages: 5, held: 0 });
    const stored = (stream: 'events' | 'sessions' | 'telemetry') =>
      outbox.read(stream, 0, 10).map((r) => JSON.parse(r.message) as { messageId: string; body: unknown });
    expect(
      stored('events')
        .slice(1)
        .map((m) => m.messageId),
    ).toEqual([idOf(held[0]!)]);
    expect(stored('sessions').map((m) => m.messageId)).toEqual([idOf(held[2]!), idOf(after)]);
    expect(stored('telemetry')).toEqual([
      expect.objectContaining({ messageId: idOf(held[3]!), body: expect.objectContaining({ charging: 2 }) as unknown }),
    ]);
  });

  it('should take an acknowledgement it cannot write without throwing, and delete those rows once the disk takes writes', () => {
    // Arrange: two messages stored and sent, then the disk takes no writes before their PUBACK
    const outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 64 * 1024 ** 2, now });
    outbox.enqueue('sessions', sessionBody(1));
    outbox.enqueue('sessions', sessionBody(2));
    const seqs = outbox.read('sessions', 0, 10).map((r) => r.seq);
    db.pragma('query_only = ON');

    // Act
    const acknowledge = () => outbox.acknowledge(seqs);
    expect(acknowledge).not.toThrow();
    const whileFull = outbox.stats().messages;
    db.pragma('query_only = OFF');
    outbox.enqueue('sessions', sessionBody(3));

    // Assert
    expect(whileFull).toBe(2);
    expect(
      outbox
        .read('sessions', 0, 10)
        .map((r) => (JSON.parse(r.message) as { body: { sessionId: string } }).body.sessionId),
    ).toEqual(['tx-3']);
    expect(outbox.stats().messages).toBe(1);
  });
});
