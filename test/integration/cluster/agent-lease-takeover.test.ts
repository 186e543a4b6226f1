/**
 * Accepted leases across takeovers, with two real agents on a real three-member etcd and the simulator's chargers: a
 * charger that holds a high lease from the old master and never reaches the new one goes on drawing under it until
 * its `validTo`, so the new master must keep that current reserved until then, and the fuse must hold meanwhile.
 */
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAR } from '../../../sim/charger/virtual-car';
import { eventually } from '../../support/eventually';
import type { ClusterAgent } from './support/cluster-agent';
import { TAKEOVER_MS, takeoverSite } from './support/takeover-site';
import { revokeLeaderLease } from './support/leader-key';
import { SiteDraw } from './support/site-draw';

/** The shortest lease the agent takes: one runs out within the test. */
const LEASE_SECONDS = 10;
/** The edge fixture's site: a 63 A fuse, a 48 A budget, chargers of 32 A. */
const FUSE_AMPS = 63;
const BUDGET_AMPS = 48;

describe('accepted leases in the cluster ledger', () => {
  const site = takeoverSite({ chargers: 2, control: { leaseSeconds: LEASE_SECONDS } });

  function leasesTo(agent: ClusterAgent, chargerId: string) {
    return agent.events.of('profileAccepted').filter((e) => e.chargerId === chargerId);
  }

  it("should keep a charger's lease from the old master reserved until it runs out when the charger never comes back", async () => {
    // Arrange: gw-a starts CP-1's transaction, then gw-b takes over and leases CP-1 its 32 A past gw-a's own lease
    const { siteId, a, b } = await site.masterAndStandby();
    const cp1 = site.charger('CP-1', a.agent.ocppUrl);
    await cp1.connect();
    await cp1.plugIn(DEFAULT_CAR);
    await cp1.authorizeAndStart('TAG-1');
    await a.events.until('a lease from gw-a', () => leasesTo(a, 'CP-1').length > 0, TAKEOVER_MS);
    const closedByA = new Promise((resolve) => cp1.client.once('close', resolve));
    await revokeLeaderLease(site.etcd().endpoints, siteId);
    await eventually('gw-b serves as master', () => b.serving && !a.serving, TAKEOVER_MS);
    await closedByA;
    const lastFromA = leasesTo(a, 'CP-1').at(-1)?.at ?? Number.POSITIVE_INFINITY;
    cp1.client.reconfigure({ endpoint: b.agent.ocppUrl } as Partial<RPC_ClientOptions> as RPC_ClientOptions);
    await cp1.connect();
    // gw-a's own lease to CP-1 has run out: what CP-1 may draw now comes from gw-b alone.
    await b.events.until(
      "gw-b's lease to CP-1 past gw-a's",
      () => leasesTo(b, 'CP-1').some((e) => e.at > lastFromA + LEASE_SECONDS * 1000 && e.amps === 32),
      3 * LEASE_SECONDS * 1000,
    );

    // Act: gw-b loses its lease at etcd, gw-a leads again; CP-1 stays away, CP-2 comes to gw-a and starts charging
    const cp2 = site.charger('CP-2', a.agent.ocppUrl);
    const siteDraw = new SiteDraw([{ charger: cp1 }, { charger: cp2 }]);
    await revokeLeaderLease(site.etcd().endpoints, siteId);
    await eventually('gw-a serves as master again', () => a.serving && !b.serving, TAKEOVER_MS);
    const cp1LeaseEnds = (leasesTo(b, 'CP-1').at(-1)?.at ?? 0) + LEASE_SECONDS * 1000;
    await cp2.connect();
    await cp2.plugIn(DEFAULT_CAR);
    await cp2.authorizeAndStart('TAG-2');
    await a.events.until('a lease from gw-a to CP-2', () => leasesTo(a, 'CP-2').length > 0, TAKEOVER_MS);
    // Once CP-1's lease has run out it holds its fail-safe, and gw-a gives CP-2 the room back.
    await a.events.until(
      'CP-2 raised once CP-1 lease ran out',
      () => leasesTo(a, 'CP-2').some((e) => e.at >= cp1LeaseEnds && e.amps > BUDGET_AMPS - 32),
      3 * LEASE_SECONDS * 1000,
    );
    siteDraw.stop();
    const whileCp1Leased = leasesTo(a, 'CP-2').filter((e) => e.at < cp1LeaseEnds);

    // Assert: the test saw CP-2 leased while CP-1's lease ran; never more than the budget left beside it, fuse held
    expect(whileCp1Leased.length).toBeGreaterThan(0);
    expect(Math.max(...whileCp1Leased.map((e) => e.amps))).toBeLessThanOrEqual(BUDGET_AMPS - 32);
    expect(siteDraw.peak.amps).toBeLessThanOrEqual(FUSE_AMPS);
  }, 120_000);
});
