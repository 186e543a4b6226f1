/**
 * Issue 15: each cluster node's telemetry carries its cluster figures (role, term, etcd's members, its peers), read
 * from the node's status and network without holding up the sample: a sample takes what the last read left.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Allocation } from '../../../../shared/allocation/allocation-types';
import type { EtcdNodeStatus } from '../../../../shared/dashboard/cluster-answer';
import type { ClusterNetwork } from '../../../../shared/dashboard/network-answer';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { ClusterFiguresReader } from '../../../../edge/sync/cluster-figures-reader';
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
  circuits: [{ id: 'grid', limitAmps: [50, 50, 50], allocatedAmps: [0, 0, 0], meter: 'ok' }],
  budget: { unit: 'A', value: 50, source: 'static' },
  totalAmps: [0, 0, 0],
};
const status: EtcdNodeStatus = {
  mode: 'etcd',
  nodeId: 'gw-b',
  role: 'master',
  electionType: 'static',
  staticOrder: ['gw-a', 'gw-b'],
  electionVersion: '0',
  electionSource: 'configuration',
  leader: { nodeId: 'gw-b', term: '105', since: 5_000 },
  lastFence: null,
  peers: [
    {
      id: 'gw-a',
      role: 'unknown',
      term: null,
      since: null,
      addresses: ['10.0.0.1'],
      healthy: false,
      lastSeenAt: 1_000,
    },
  ],
  witness: { configured: true, etcdReachable: true },
  witnesses: [],
};
const network: ClusterNetwork = {
  virtualAddress: { address: '10.0.0.100', held: true },
  peers: [{ id: 'gw-a', addresses: ['10.0.0.1'], present: false, reachedAt: null, reachable: false }],
  etcdMembers: [
    { endpoint: 'http://10.0.0.1:2379', name: 'gw-a', healthy: false, raftLeader: null, version: null },
    { endpoint: 'http://10.0.0.2:2379', name: 'gw-b', healthy: true, raftLeader: true, version: '3.4.23' },
    { endpoint: 'http://10.0.0.3:2379', name: 'witness', healthy: true, raftLeader: false, version: '3.4.23' },
  ],
  keepalived: null,
};

describe('cluster figures in telemetry', () => {
  const opened: { db: OutboxDatabase; remove: () => void }[] = [];
  afterEach(() => {
    for (const { db, remove } of opened.splice(0)) {
      db.close();
      remove();
    }
  });
  const warnings: string[] = [];
  const log = { info: () => {}, warn: (_: object, message: string) => void warnings.push(message), error: () => {} };

  function observed(reader: ClusterFiguresReader) {
    const tmp = tempDir();
    const db = openOutboxDatabase(tmp.dir);
    opened.push({ db, remove: tmp.remove });
    const outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 1024 ** 2, now: () => 0 });
    const observer = new ControlOutboxObserver(outbox, {
      site: () => site,
      telemetryIntervalMs: 10_000,
      openSessions: () => [],
      log,
      clusterFigures: reader.figures,
    });
    const bodies = () =>
      outbox.read('telemetry', 0, 10).map((r) => (JSON.parse(r.message) as { body: Record<string, unknown> }).body);
    return { observer, bodies };
  }

  it("should send the node's role, term, etcd's members and its peers with the samples after the first read", async () => {
    // Arrange
    const reader = new ClusterFiguresReader(
      { status: () => Promise.resolve(status), network: () => Promise.resolve(network) },
      log,
      () => 0,
    );
    const { observer, bodies } = observed(reader);

    // Act: the first sample starts the read; the next one carries what it found
    observer.onControlEvent({ type: 'allocation', at: 0, allocation, changed: true });
    await new Promise((resolve) => setImmediate(resolve));
    observer.onControlEvent({ type: 'allocation', at: 10_000, allocation, changed: true });

    // Assert
    const [first, second] = bodies();
    expect(first).not.toHaveProperty('cluster');
    expect(second?.['cluster']).toEqual({
      nodeId: 'gw-b',
      mode: 'etcd',
      role: 'master',
      leader: { nodeId: 'gw-b', term: '105', since: 5_000 },
      etcdReachable: true,
      etcdMembers: [
        { endpoint: 'http://10.0.0.1:2379', healthy: false },
        { endpoint: 'http://10.0.0.2:2379', healthy: true },
        { endpoint: 'http://10.0.0.3:2379', healthy: true },
      ],
      peers: [{ nodeId: 'gw-a', present: false, reachable: false, lastSeenAt: 1_000 }],
    });
  });

  it('should keep the status when the network cannot be read, and send the sample without figures when the status cannot', async () => {
    // Arrange
    let statusFails = false;
    const reader = new ClusterFiguresReader(
      {
        status: () => (statusFails ? Promise.reject(new Error('etcd client closed')) : Promise.resolve(status)),
        network: () => Promise.reject(new Error('no route')),
      },
      log,
      () => 0,
    );
    const fresh = new ClusterFiguresReader(
      { status: () => Promise.reject(new Error('etcd client closed')), network: () => Promise.resolve(network) },
      log,
      () => 0,
    );

    // Act
    reader.figures();
    await new Promise((resolve) => setImmediate(resolve));
    statusFails = true;
    const kept = reader.figures();
    fresh.figures();
    await new Promise((resolve) => setImmediate(resolve));
    const { observer, bodies } = observed(fresh);
    observer.onControlEvent({ type: 'allocation', at: 0, allocation, changed: true });

    // Assert: the sample still goes, without figures
    expect(kept).toMatchObject({ nodeId: 'gw-b', etcdMembers: [], peers: [{ nodeId: 'gw-a', reachable: null }] });
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]).not.toHaveProperty('cluster');
    expect(warnings).toContain('cluster status not read for telemetry');
  });

  it("should read the node's status for every sample but its network (peers dialled, etcd members asked) once a minute", async () => {
    // Arrange
    let now = 0;
    const reads = { status: 0, network: 0 };
    const reader = new ClusterFiguresReader(
      {
        status: () => Promise.resolve({ ...status, role: ++reads.status === 1 ? 'master' : 'fenced' }),
        network: () => Promise.resolve({ ...network, etcdMembers: network.etcdMembers.slice(0, ++reads.network) }),
      },
      log,
      () => now,
    );
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    // Act: a sample every 10 s for a minute and ten seconds
    const figures: ReturnType<ClusterFiguresReader['figures']>[] = [];
    for (now = 0; now <= 70_000; now += 10_000) {
      figures.push(reader.figures());
      await settle();
    }

    // Assert
    expect(reads).toEqual({ status: 8, network: 2 });
    // Each sample takes the last read's figures: the one at 60 s the 50 s read's (the first network read's members),
    // the one at 70 s the 60 s read's (the second's)
    expect(figures[0]).toBeUndefined();
    expect(figures[6]).toMatchObject({ role: 'fenced', etcdMembers: [expect.anything()] });
    expect(figures[7]).toMatchObject({ etcdMembers: [expect.anything(), expect.anything()] });
  });
});
