/**
 * When the CSMS returns from a long outage, the first of the site's links to get through brings the others' retries
 * forward (within `reconnect.siteRetryWithinMs`), instead of each waiting out a back-off of up to `maxDelayMs`. The
 * links run on a virtual clock, the sockets are real.
 */
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../edge/platform/clock';
import { ManualClock } from '../../../sim/charger/sim-clock';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { TsOcppCsms } from './support/ts-ocpp-csms';

const ids = ['CP-1', 'CP-2', 'CP-3', 'CP-4'];
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

describe('edge agent in front of a CSMS, the site reconnecting', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  const clients: RPCClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close({ force: true });
    await edge?.close();
    await csms?.close();
    edge = csms = undefined;
  });

  it('should bring every link back within siteRetryWithinMs of the first one after a long outage', async () => {
    // Arrange: four chargers whose links back off up to 10 minutes, and two hours of outage
    const virtual = new ManualClock();
    const clock: Clock = { now: () => virtual.now(), after: (ms, fn) => virtual.after(ms, fn) };
    csms = await TsOcppCsms.start();
    edge = await startEdge({
      chargers: ids.length,
      upstream: {
        csmsUrl: csms.url,
        reconnect: { initialDelayMs: 1_000, maxDelayMs: 600_000, siteRetryWithinMs: 5_000 },
      },
      upstreamClock: clock,
    });
    for (const id of ids) {
      const client = rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: id, password: passwordOf(id) });
      clients.push(client);
      await client.connect();
    }
    const open = () => ids.filter((id) => edge?.agent.upstream?.isOpen(id)).length;
    await csms.until('links up', () => ids.every((id) => csms?.isConnected(id)));
    await csms.close();
    while (open() > 0) await pause();
    for (let minute = 0; minute < 120; minute++) {
      virtual.advance(60_000);
      await pause();
    }

    // Act: the CSMS returns; virtual time runs a second at a time until the first link is back, then until all are
    csms = await csms.restart();
    while (open() === 0) {
      virtual.advance(1_000);
      await pause();
    }
    const firstBack = virtual.now();
    while (open() < ids.length && virtual.now() - firstBack < 60_000) {
      virtual.advance(1_000);
      await pause();
    }

    // Assert
    expect(open()).toBe(ids.length);
    expect(virtual.now() - firstBack).toBeLessThanOrEqual(6_000);
  }, 60_000);
});
