/** Each takeover goes to the real durable outbox as a `cluster.failover` event the cloud's ingest schema accepts. */
import { afterEach, describe, expect, it } from 'vitest';
import { SiteMessageSchema } from '../../../../shared/sync/sync-messages';
import { TakeoverReport } from '../../../../edge/cluster/takeover-report';
import { Outbox } from '../../../../edge/sync/outbox';
import { openOutboxDatabase, type OutboxDatabase } from '../../../../edge/sync/outbox-database';
import { tempDir } from '../sync/sync-builders';

describe('TakeoverReport', () => {
  const opened: { db: OutboxDatabase; remove: () => void }[] = [];
  afterEach(() => {
    for (const { db, remove } of opened.splice(0)) {
      db.close();
      remove();
    }
  });

  function outbox(): Outbox {
    const tmp = tempDir();
    const db = openOutboxDatabase(tmp.dir);
    opened.push({ db, remove: tmp.remove });
    return new Outbox(db, { siteId: 'site-1', maxBytes: 1024 ** 2, now: () => 0 });
  }

  it('should put one event per takeover, serving and fenced, each valid for the cloud ingest', () => {
    // Arrange
    const box = outbox();
    let now = 1_000;
    const report = new TakeoverReport('gw-b', () => now);
    report.sendTo(box);

    // Act
    report.elected({ term: '42', key: 'election/ampshare/site-1/leader/7' });
    now = 9_000;
    report.fenced({ term: '42', reason: 'no keepalive was confirmed in time' });

    // Assert
    const messages = box.read('events', 0, 10).map((row) => SiteMessageSchema.parse(JSON.parse(row.message)));
    expect(messages.map((m) => ({ at: m.at, body: m.body }))).toEqual([
      {
        at: 1_000,
        body: {
          kind: 'cluster.failover',
          severity: 'warning',
          message: 'gw-b serves as master in term 42',
          reason: 'siteEvent.master',
          params: { node: 'gw-b', term: '42' },
          details: { nodeId: 'gw-b', term: '42', role: 'master' },
        },
      },
      {
        at: 9_000,
        body: {
          kind: 'cluster.failover',
          severity: 'warning',
          message: 'gw-b fenced in term 42: no keepalive was confirmed in time',
          reason: 'siteEvent.fenced',
          params: { node: 'gw-b', term: '42', reason: { ref: 'clusterFence.keepaliveLate' } },
          details: { nodeId: 'gw-b', term: '42', role: 'fenced', reason: 'no keepalive was confirmed in time' },
        },
      },
    ]);
  });
});
