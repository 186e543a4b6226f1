/**
 * A cluster in front of an operator's CSMS keeps the CSMS's own limits across a takeover (docs/cluster.md, "In front
 * of an operator's CSMS", `upstream-limits/`): two whole agents of one site on a real three-member etcd, the ts-ocpp
 * CSMS of the upstream tests, the simulator's charger with a car. The CSMS limits CP-1's transaction once, through
 * gw-a; gw-b, the new master, holds CP-1 under that limit without the CSMS sending it again.
 */
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAR } from '../../../sim/charger/virtual-car';
import { eventually } from '../../support/eventually';
import { txProfile } from '../../unit/edge/upstream/csms-profiles';
import { TsOcppCsms } from '../upstream/support/ts-ocpp-csms';
import type { ClusterAgent } from './support/cluster-agent';
import { TAKEOVER_MS } from './support/takeover-site';
import { upstreamCluster } from './support/upstream-cluster';

/** The CSMS's limit, below the 32 A the site gives one car. */
const CSMS_AMPS = 10;

describe("a cluster node in front of a CSMS: the CSMS's limits", () => {
  const lab = upstreamCluster();

  const leasesTo = (agent: ClusterAgent, chargerId: string) =>
    agent.events.of('profileAccepted').filter((e) => e.chargerId === chargerId);

  it("should hold a charger under the CSMS's limit on the new master, without the CSMS sending it again", async () => {
    // Arrange: gw-a serves, gw-b is its standby; CP-1 on gw-a charges at the site's 32 A in a transaction the CSMS
    // gave its id; the CSMS limits that transaction to 10 A through gw-a
    const siteId = 'site-upstream-limits';
    const csms = await TsOcppCsms.start();
    lab.csms = csms;
    const { a, b } = await lab.masterAndStandby(siteId, csms);
    const cp = lab.charger('CP-1', a.agent.ocppUrl);
    await cp.connect();
    await csms.until('CP-1 linked through gw-a', () => csms.isConnected('CP-1'));
    await cp.plugIn(DEFAULT_CAR);
    const transactionId = await cp.authorizeAndStart('TAG-1');
    await a.events.until('32 A from gw-a', () => leasesTo(a, 'CP-1').some((e) => e.amps === 32), TAKEOVER_MS);
    if (transactionId === undefined) throw new Error('CP-1 has no transaction');
    const answer = await csms.send('CP-1', 'SetChargingProfile', txProfile(transactionId, CSMS_AMPS));
    await eventually('the CSMS limit on CP-1', () => cp.offeredAmps === CSMS_AMPS, TAKEOVER_MS);

    // Act: gw-a loses its lease at etcd, gw-b takes over; CP-1 goes to gw-b and is leased again
    const closedByA = new Promise((resolve) => cp.client.once('close', resolve));
    await lab.takeover(siteId, a, b);
    await closedByA;
    cp.client.reconfigure({ endpoint: b.agent.ocppUrl } as Partial<RPC_ClientOptions> as RPC_ClientOptions);
    await cp.connect();
    await b.events.until('a lease from gw-b', () => leasesTo(b, 'CP-1').length > 0, TAKEOVER_MS);
    await csms.until(
      'CP-1 linked through gw-b',
      () => csms.isConnected('CP-1') && b.agent.upstream?.isOpen('CP-1') === true,
    );

    // Assert: the CSMS's one SetChargingProfile accepted; no lease gw-b gave CP-1 above its limit, and CP-1 offers the
    // car that limit (before: gw-b knew no CSMS limit and gave 32 A)
    expect(answer).toEqual({ status: 'Accepted' });
    expect(leasesTo(b, 'CP-1').filter((e) => e.amps > CSMS_AMPS)).toEqual([]);
    await eventually('CP-1 offers the CSMS limit', () => cp.offeredAmps === CSMS_AMPS, TAKEOVER_MS);
  }, 90_000);
});
