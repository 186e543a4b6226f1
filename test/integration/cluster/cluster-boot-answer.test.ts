/**
 * A cluster master answers a charger's own boot once the charger is protected, as a single agent does
 * (agent-boot-answer.test.ts): a real OCPP 1.6 charge point (ocpp-rpc) against a real edge agent serving as master of
 * its site on a real three-member etcd on loopback.
 */
import { randomUUID } from 'node:crypto';
import type { RPCClient } from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { bootSeen } from '../edge/support/boot-before-answer';
import { ClusterAgent } from './support/cluster-agent';
import { EtcdCluster } from './support/etcd-cluster';

/** The agent's lease is 2 s: it is elected within a few, with room for a loaded machine. */
const ELECTED_MS = 15_000;

describe('a cluster master: the answer to a charger boot', () => {
  let etcd: EtcdCluster;
  let master: ClusterAgent;
  let client: RPCClient | undefined;

  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
    master = await ClusterAgent.start({
      nodeId: 'gw-a',
      siteId: `site-${randomUUID().slice(0, 8)}`,
      endpoints: etcd.endpoints,
      staticOrder: ['gw-a', 'gw-b'],
      chargers: 1,
    });
    await eventually('gw-a serves as master', () => master.serving, ELECTED_MS);
  });
  afterAll(async () => {
    await client?.close({ force: true });
    await master?.stop();
    await etcd?.stop();
  });

  it('should install the fail-safe and the first idle hold before it answers a boot Accepted', async () => {
    // Act
    const boot = await bootSeen(master.agent.ocppUrl, 'CP-1');
    client = boot.client;

    // Assert: before, a cluster node answered at once and configured the charger after
    expect(boot.status).toBe('Accepted');
    expect(boot.beforeAnswer).toEqual(expect.arrayContaining(['GetConfiguration', 'fail-safe', 'idle hold']));
  });
});
