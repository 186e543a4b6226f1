import { describe, expect, it } from 'vitest';
import { type CloudLink, CloudLinkFollower } from '../../../../edge/cluster/cloud-link-follower';
import { ClusterConfigSchema } from '../../../../edge/cluster/cluster-config';
import { createTwoGatewayNode } from '../../../../edge/cluster/two-gateway-node';

const LEASE_SECONDS = 10;
const quiet = { info: () => undefined, error: () => undefined };

/** The agent's cloud link as the follower drives it: whether it is open, and every open and close. */
class RecordedLink implements CloudLink {
  readonly calls: string[] = [];

  openLink(): void {
    this.calls.push('open');
  }

  closeLink(): Promise<void> {
    this.calls.push('close');
    return Promise.resolve();
  }
}

describe("a cluster node's cloud link", () => {
  it('should open once the node leads, close at its fence, and open on attach when the node already leads', () => {
    // Arrange
    const link = new RecordedLink();
    const follower = new CloudLinkFollower(quiet);
    const late = new RecordedLink();
    const elected = new CloudLinkFollower(quiet);

    // Act: standby, elected, fenced, fenced again; another node elected before its agent's link was built
    follower.attach(link);
    follower.elected();
    follower.fenced();
    follower.fenced();
    elected.elected();
    elected.attach(late);

    // Assert
    expect(link.calls).toEqual(['open', 'close']);
    expect(late.calls).toEqual(['open']);
    expect(elected.leads()).toBe(true);
  });

  it('should follow the charger majority on a two-gateway node: open once it may exceed the fail-safe, closed when it loses it, each change reported first', async () => {
    // Arrange: gw-a of a three-charger site, without a witness
    const state = { connected: ['CP-1', 'CP-2'], now: 0 };
    const config = ClusterConfigSchema.parse({ nodeId: 'gw-a', witness: false, staticOrder: ['gw-a', 'gw-b'] });
    const node = createTwoGatewayNode(config, {
      localIds: { next: () => Promise.resolve(1) },
      connectedChargers: () =>
        state.connected.map((chargerId) => ({ chargerId, openedAt: -60_000, answeredPingAt: state.now })),
      siteChargerIds: () => ['CP-1', 'CP-2', 'CP-3'],
      failSafeAmps: () => 6,
      leaseSeconds: LEASE_SECONDS,
      pingIntervalSeconds: 2,
      now: () => state.now,
      log: quiet,
    });
    const link = new RecordedLink();
    const queued: { reason: unknown; details: unknown; at: number | undefined }[] = [];
    node.start(link, {
      enqueue: (_stream, body, at) => {
        link.calls.push(`event ${String(body.reason)}`);
        queued.push({ reason: body.reason, details: body.details, at });
      },
    });

    // Act: checked every second as the agent does, through the hold; then a charger moves to gw-b
    const duringHold: string[][] = [];
    for (state.now = 0; state.now < 2 * LEASE_SECONDS * 1000; state.now += 1_000) {
      node.ceilings.ceiling('CP-1', 1, 3);
      duringHold.push([...link.calls]);
    }
    node.ceilings.ceiling('CP-1', 1, 3);
    const leading = node.leads();
    state.connected = ['CP-1'];
    state.now += 1_000;
    node.ceilings.ceiling('CP-1', 1, 3);
    await node.stop();

    // Assert: no link while its majority is younger than the hold; open with it; closed once it is lost
    expect(duringHold.every((calls) => calls.length === 0)).toBe(true);
    expect(leading).toBe(true);
    expect(node.leads()).toBe(false);
    expect(link.calls).toEqual(['event siteEvent.majorityGained', 'open', 'event siteEvent.majorityLost', 'close']);
    expect(queued).toEqual([
      {
        reason: 'siteEvent.majorityGained',
        details: { nodeId: 'gw-a', mayExceedFailSafe: true, countedChargers: 2, siteChargers: 3 },
        at: 2 * LEASE_SECONDS * 1000,
      },
      {
        reason: 'siteEvent.majorityLost',
        details: { nodeId: 'gw-a', mayExceedFailSafe: false, countedChargers: 1, siteChargers: 3 },
        at: 2 * LEASE_SECONDS * 1000 + 1_000,
      },
    ]);
  });
});
