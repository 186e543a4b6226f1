/**
 * Static election on a real three-member etcd: the first healthy node of the order leads, a later node campaigns only
 * while every node before it is unhealthy (its presence key gone), and a running master is never pre-empted.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EtcdCluster } from './support/etcd-cluster';
import { type NodeSettings, RecordedNode, siteSettings } from './support/recorded-node';

const TTL_SECONDS = 2;
/** A takeover waits for a resignation or for a lease to run out: a few TTLs bound it, with room for a loaded machine. */
const WAIT_MS = TTL_SECONDS * 1000 * 5;
const ORDER = ['n1', 'n2', 'n3'];

describe('static election', () => {
  let etcd: EtcdCluster;
  const nodes: RecordedNode[] = [];

  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((node) => node.close()));
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  const settings = (): NodeSettings => siteSettings(etcd.endpoints, TTL_SECONDS, ORDER);

  /** A node that has announced itself healthy, not yet campaigning. */
  async function healthyNode(nodeId: string, shared: NodeSettings): Promise<RecordedNode> {
    const node = new RecordedNode(nodeId, shared);
    nodes.push(node);
    await node.presence.start();
    return node;
  }

  /** The node ids of the election's candidates, oldest first. */
  async function candidates(node: RecordedNode): Promise<string[]> {
    const values = await node.client
      .getAll()
      .prefix(`election/${node.settings.electionName}/`)
      .sort('Create', 'Ascend')
      .strings();
    return Object.values(values);
  }

  /** Resolves once the election's candidates are `expected`, oldest first. */
  async function untilCandidates(node: RecordedNode, expected: string[]): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    let seen = await candidates(node);
    while (seen.join() !== expected.join()) {
      if (Date.now() > deadline) throw new Error(`candidates ${seen.join()}, not ${expected.join()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await candidates(node);
    }
  }

  it('should let the first healthy node lead, even when a later one campaigns first', async () => {
    // Arrange
    const shared = settings();
    const first = await healthyNode('n1', shared);
    const second = await healthyNode('n2', shared);

    // Act
    second.leadership.start();
    first.leadership.start();
    await first.electedTimes(1, WAIT_MS);

    // Assert: the second node did not even campaign while the first was healthy
    expect(await candidates(first)).toEqual(['n1']);
    expect(second.terms).toEqual([]);
  });

  it('should hand over to the next healthy node in the order, never pre-empt a master, and withdraw a later candidate', async () => {
    // Arrange: only the last node is up, so it leads
    const shared = settings();
    const third = await healthyNode('n3', shared);
    third.leadership.start();
    await third.electedTimes(1, WAIT_MS);

    // Act 1: the second and then the first come back
    const second = await healthyNode('n2', shared);
    second.leadership.start();
    await untilCandidates(second, ['n3', 'n2']);
    const first = await healthyNode('n1', shared);
    first.leadership.start();
    await untilCandidates(first, ['n3', 'n1']);

    // Assert 1: the last node still leads, in its first term
    expect(third.leading).toBe(true);
    expect(third.fences).toEqual([]);
    expect([first.terms, second.terms]).toEqual([[], []]);

    // Act 2: the master goes
    await third.close();
    await first.electedTimes(1, WAIT_MS);

    // Assert 2: the first in the order took over, not the second, in a higher term
    expect(second.terms).toEqual([]);
    expect(BigInt(first.terms[0]?.term ?? '0')).toBeGreaterThan(BigInt(third.terms[0]?.term ?? '0'));
  });
});
