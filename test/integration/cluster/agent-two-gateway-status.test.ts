/**
 * The dashboard's cluster and network answers of two real agents on 127.0.0.1 in two-gateway mode (no witness, no
 * etcd), each with `cluster.peer` naming the other's link: each lists the other gateway, reached at the host and port
 * of its `cluster.peer.url` (before: no peer on the Cluster page, nothing to dial on the Network page); once gw-b stops,
 * gw-a finds it unreachable and keeps when it last reached it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterAnswer, TwoGatewayNodeStatus } from '../../../shared/dashboard/cluster-answer';
import type { NetworkAnswer } from '../../../shared/dashboard/network-answer';
import { dashboardSession, type DashboardSession } from '../edge/support/dashboard-session';
import { startTwoGateways, type TwoGatewayAgent } from './support/two-gateway-agents';

const ADMIN_PASSWORD = 'two-gateway-status-password';
/** The Cluster page's read of the peer may be 5 s old (shared with the Network page's); room for a loaded machine. */
const WITHIN_MS = 15_000;

describe("the dashboard's cluster and network answers on two gateways without a witness", () => {
  const gateways: TwoGatewayAgent[] = [];
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()));
  });

  async function answerOnceItHolds<T>(
    dashboard: DashboardSession,
    route: 'cluster' | 'network',
    what: string,
    holds: (answer: T) => boolean,
  ): Promise<T> {
    const giveUpAt = Date.now() + WITHIN_MS;
    for (;;) {
      const answer = await dashboard.api('GET', route);
      expect(answer.status).toBe(200);
      const body = answer.body as T;
      if (holds(body)) return body;
      if (Date.now() > giveUpAt) throw new Error(`not within ${WITHIN_MS} ms: ${what}; ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('should list the other gateway with its reach at its peer link, and unreachable once it stops', async () => {
    // Arrange
    const [a, b] = await startTwoGateways();
    gateways.push(a, b);
    const onA = dashboardSession(a.agent, ADMIN_PASSWORD);
    const peerOf = (answer: ClusterAnswer) => (answer.node as TwoGatewayNodeStatus).peer;

    // Act
    const network = await answerOnceItHolds<NetworkAnswer>(
      onA,
      'network',
      'gw-b reached',
      (n) => n.cluster?.peers[0]?.reachable === true,
    );
    const cluster = await answerOnceItHolds<ClusterAnswer>(
      onA,
      'cluster',
      'gw-b reachable',
      (c) => peerOf(c)?.reachable === true,
    );

    // Assert
    expect(network.cluster?.peers).toEqual([
      { id: 'gw-b', addresses: ['127.0.0.1'], present: null, reachedAt: `127.0.0.1:${b.peerPort}`, reachable: true },
    ]);
    expect(cluster.node).toMatchObject({
      mode: 'twoGateway',
      nodeId: 'gw-a',
      // No charger connected: neither holds the majority, so this one cannot tell the other's role.
      holdsMajority: false,
      peer: { id: 'gw-b', role: 'unknown', reachable: true, lastSeenAt: expect.any(Number) as unknown },
    });
    const lastSeenAt = peerOf(cluster).lastSeenAt;

    // Act: gw-b stops
    await b.stop();

    // Assert
    const after = await answerOnceItHolds<ClusterAnswer>(
      onA,
      'cluster',
      'gw-b unreachable',
      (c) => peerOf(c)?.reachable === false,
    );
    expect(peerOf(after)).toEqual({ id: 'gw-b', role: 'unknown', reachable: false, lastSeenAt });
  });
});
