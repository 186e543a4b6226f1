/**
 * The outbox's side of a cluster takeover (edge/sync/outbox.ts): a message another node made is stored as it is, with
 * its id and time, and refused when the cloud would refuse it; every message gone (acknowledged or given up) is told
 * by id.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../../edge/sync/outbox';
import { openOutboxDatabase, type OutboxDatabase } from '../../../../edge/sync/outbox-database';
import { eventBody, sessionBody, telemetryBody, tempDir } from './sync-builders';

describe('Outbox adoption and settling', () => {
  let tmp: ReturnType<typeof tempDir>;
  let other: ReturnType<typeof tempDir>;
  let db: OutboxDatabase;
  let otherDb: OutboxDatabase;
  const open = (database: OutboxDatabase, now: number, siteId = 'site-1', maxBytes = 64 * 1024 ** 2) =>
    new Outbox(database, { siteId, maxBytes, now: () => now });

  beforeEach(() => {
    tmp = tempDir();
    other = tempDir();
    db = openOutboxDatabase(tmp.dir);
    otherDb = openOutboxDatabase(other.dir);
  });
  afterEach(() => {
    db.close();
    otherDb.close();
    tmp.remove();
    other.remove();
  });

  it("should store another node's message as it is, with its id and time, and send it after what was queued before", () => {
    const old = open(otherDb, 1_700_000_000_000);
    const queued = old.enqueue('sessions', sessionBody(7, 'stopped'), 1_700_000_000_500);
    const text = old.read('sessions', 0, 1)[0]!.message;
    const outbox = open(db, 1_800_000_000_000);
    outbox.enqueue('sessions', sessionBody(1));

    const adopted = outbox.adopt(text);

    expect(queued.ok && adopted).toEqual({ ok: true, messageId: queued.ok ? queued.messageId : '' });
    expect(outbox.read('sessions', 0, 10).map((row) => row.message)[1]).toBe(text);
    expect(outbox.stats().byStream.sessions).toBe(2);
  });

  const envelope = (siteId: string) =>
    JSON.stringify({ messageId: '0loyw3v28-0000000000001', siteId, stream: 'events', at: 1, body: eventBody('info') });

  it.each([
    ['not JSON', '{', 'message'],
    ['of another site', envelope('site-2'), 'siteId'],
    ['not a site message', JSON.stringify({ messageId: 'x', stream: 'telemetry' }), 'messageId'],
  ])('should refuse a message that is %s', (_what, message, path) => {
    const outbox = open(db, 1_800_000_000_000);

    const result = outbox.adopt(message);

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.path)).toContain(path);
    expect(outbox.stats().messages).toBe(0);
    expect(outbox.adopt(envelope('site-1')).ok).toBe(true);
  });

  it('should tell the ids of the messages acknowledged, and of those given up when over its limit', () => {
    const outbox = open(db, 1_700_000_000_000, 'site-1', 3_000);
    const settled: string[] = [];
    outbox.onSettled((ids) => settled.push(...ids));
    const event = outbox.enqueue('events', eventBody('warning'));
    outbox.acknowledge(outbox.read('events', 0, 1).map((row) => row.seq));
    expect(settled).toEqual([event.ok && event.messageId]);

    const samples = Array.from({ length: 20 }, (_, k) => outbox.enqueue('telemetry', telemetryBody(k)));
    const left = new Set(outbox.read('telemetry', 0, 100).map((row) => row.message));
    const given = samples
      .flatMap((r) => (r.ok ? [r.messageId] : []))
      .filter((id) => ![...left].some((m) => m.includes(id)));
    expect(given.length).toBeGreaterThan(0);
    expect(settled.slice(1).sort()).toEqual(given.sort());
  });
});
