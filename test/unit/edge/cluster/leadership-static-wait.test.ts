/**
 * A static standby waiting behind an earlier node (its presence key still there) asks again soon: the site has no
 * master from the moment that node's presence goes until the standby campaigns, so the gap between asks is added to
 * every static takeover. No etcd is reached: a node that may not campaign opens no campaign.
 */
import { Etcd3 } from 'etcd3';
import { afterEach, describe, expect, it } from 'vitest';
import { Leadership } from '../../../../edge/cluster/leadership';
import { ManualClock } from '../../../../sim/charger/sim-clock';

const TTL_SECONDS = 6;

describe('a static standby waiting for an earlier node', () => {
  const clients: Etcd3[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it('should ask its candidacy again every twelfth of the TTL, not every third', async () => {
    // Arrange: an earlier node stays healthy, so the candidacy says no
    const clock = new ManualClock();
    const askedAtMs: number[] = [];
    // Port 9 (discard): never dialled, since the node never campaigns.
    const client = new Etcd3({ hosts: '127.0.0.1:9' });
    clients.push(client);
    const leadership = new Leadership({
      client,
      electionName: 'site',
      nodeId: 'gw-b',
      ttlSeconds: TTL_SECONDS,
      fenceMarginMs: 1_500,
      clock,
      listener: { elected: () => undefined, fenced: () => undefined },
      candidacy: {
        allowed: () => {
          askedAtMs.push(clock.now());
          return Promise.resolve(false);
        },
      },
    });

    // Act: two seconds of waiting
    leadership.start();
    for (let ms = 0; ms < 2_000; ms += 100) {
      await Promise.resolve();
      await Promise.resolve();
      clock.advance(100);
    }
    await leadership.stop();

    // Assert: asked at the start and every 500 ms after
    const gapsMs = askedAtMs.slice(1).map((at, i) => at - askedAtMs[i]!);
    expect(askedAtMs.length).toBeGreaterThanOrEqual(4);
    expect(new Set(gapsMs)).toEqual(new Set([(TTL_SECONDS * 1000) / 12]));
  });
});
