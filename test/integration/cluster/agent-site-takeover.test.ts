/**
 * The site version in force across a takeover, with two real agents on a real three-member etcd: a charger adopted on
 * the old master's dashboard, and one removed there, are in the new master's site once it serves (the first accepted,
 * the second refused), under the same version number; the ledger has the version before the dashboard answers. A
 * standby refuses a site change (it would be lost at the next election). A version that cannot be read whole stops the
 * new master's rebuild: it does not serve, and changes nothing, until the record is whole again.
 */
import { Etcd3 } from 'etcd3';
import { describe, expect, it } from 'vitest';
import type { SiteInForceAnswer } from '../../../shared/dashboard/site-setup-answers';
import { eventually } from '../../support/eventually';
import { dashboardSession } from '../edge/support/dashboard-session';
import type { ClusterAgent } from './support/cluster-agent';
import { revokeLeaderLease } from './support/leader-key';
import { TAKEOVER_MS, takeoverSite } from './support/takeover-site';

const ADMIN_PASSWORD = 'site-takeover-password';
const CP3_PASSWORD = 'own-password-of-cp-3';

describe('the site version in force in the cluster ledger', () => {
  const site = takeoverSite({ chargers: 2 });

  it('should accept on the new master a charger adopted on the old one, and refuse one removed there', async () => {
    // Arrange: gw-a serves; CP-3, not in the site, dials it and is listed for adoption
    const { siteId, a, b } = await site.masterAndStandby();
    const dashboardA = dashboardSession(a.agent, ADMIN_PASSWORD);
    const dashboardB = dashboardSession(b.agent, ADMIN_PASSWORD);
    await expect(site.charger('CP-3', a.agent.ocppUrl, CP3_PASSWORD).connect()).rejects.toThrow();
    const before = (await dashboardA.api('GET', 'site')).body as SiteInForceAnswer;

    // Act 1: CP-3 adopted on gw-a's dashboard, then CP-2 removed there; a change on gw-b's
    const adopted = await dashboardA.api('POST', 'site/unknown-chargers/CP-3/adopt', {
      baseVersion: before.version,
      circuit: 'main',
      phases: 3,
      maxAmps: 16,
      password: CP3_PASSWORD,
    });
    const withCp3 = adopted.body as SiteInForceAnswer;
    const removed = await dashboardA.api('PUT', 'site', {
      baseVersion: withCp3.version,
      site: { ...withCp3.site, chargers: withCp3.site.chargers.filter((c) => c.id !== 'CP-2') },
    });
    const standbyBefore = (await dashboardB.api('GET', 'site')).body as SiteInForceAnswer;
    const onStandby = await dashboardB.api('PUT', 'site', {
      baseVersion: standbyBefore.version,
      site: { ...standbyBefore.site, circuits: [{ id: 'main', parent: null, fuseAmps: 50 }] },
    });
    const client = new Etcd3({ hosts: [...site.etcd().endpoints] });
    const head = await client.get(`ampshare/${siteId}/ledger/site-version`).string();
    client.close();

    // Assert 1: gw-a's changes are in the ledger as it answered; gw-b refused its own and kept its site
    expect(adopted.status).toBe(200);
    expect(removed.status).toBe(200);
    const inForceOnA = removed.body as SiteInForceAnswer;
    expect(inForceOnA.site.chargers.map((c) => c.id)).toEqual(['CP-1', 'CP-3']);
    expect(JSON.parse(head ?? '{}')).toMatchObject({ version: inForceOnA.version, source: 'edit' });
    expect(onStandby).toMatchObject({ status: 409, body: { reason: 'cluster.notMaster' } });
    expect((await dashboardB.api('GET', 'site')).body).toMatchObject({ version: standbyBefore.version });

    // Act 2: gw-a loses its lease at etcd, gw-b takes over
    await revokeLeaderLease(site.etcd().endpoints, siteId);
    await eventually('gw-b serves as master', () => b.serving, TAKEOVER_MS);

    // Assert 2: gw-b's site is gw-a's, under the same number; CP-3 gets in with its password, CP-2 does not
    const onB = (await dashboardB.api('GET', 'site')).body as SiteInForceAnswer;
    expect(onB).toMatchObject({ version: inForceOnA.version, site: inForceOnA.site, source: 'edit', author: 'admin' });
    await expect(site.charger('CP-3', b.agent.ocppUrl, CP3_PASSWORD).connect()).resolves.toBe('Accepted');
    await expect(site.charger('CP-2', b.agent.ocppUrl).connect()).rejects.toThrow();
    await expect(site.charger('CP-1', b.agent.ocppUrl).connect()).resolves.toBe('Accepted');
    // The next change on gw-b goes on from the ledger's number
    const next = await dashboardB.api('PUT', 'site', {
      baseVersion: onB.version,
      site: { ...onB.site, circuits: [{ id: 'main', parent: null, fuseAmps: 50 }] },
    });
    expect(next).toMatchObject({ status: 200, body: { version: onB.version + 1 } });
  });

  it('should not serve from a site version it cannot read whole, and serve once the record is whole again', async () => {
    // Arrange: a fuse changed on gw-a's dashboard (version 2 in the ledger), then a part of it lost in etcd
    const { siteId, a, b } = await site.masterAndStandby();
    const dashboardA = dashboardSession(a.agent, ADMIN_PASSWORD);
    const dashboardB = dashboardSession(b.agent, ADMIN_PASSWORD);
    const before = (await dashboardA.api('GET', 'site')).body as SiteInForceAnswer;
    const changed = await dashboardA.api('PUT', 'site', {
      baseVersion: before.version,
      site: { ...before.site, circuits: [{ id: 'main', parent: null, fuseAmps: 50 }] },
    });
    const client = new Etcd3({ hosts: [...site.etcd().endpoints] });
    const part = `ampshare/${siteId}/ledger/site-version-parts/${String(before.version + 1).padStart(10, '0')}/0`;
    const kept = await client.get(part).string();
    await client.delete().key(part);

    // Act: gw-a loses its lease; gw-b is elected and reads the ledger
    await revokeLeaderLease(site.etcd().endpoints, siteId);
    await untilFenced(b, 'could not rebuild from the ledger');
    const onB = (await dashboardB.api('GET', 'site')).body as SiteInForceAnswer;
    const bServed = b.serving;
    // The record whole again
    await client.put(part).value(kept ?? '');
    client.close();
    await eventually('a node serves again', () => a.serving || b.serving, TAKEOVER_MS);
    const master = a.serving ? dashboardA : dashboardB;

    // Assert: gw-b stepped down with its site untouched; the node that serves has gw-a's version
    expect(changed.status).toBe(200);
    expect(kept).toBeTypeOf('string');
    expect(bServed).toBe(false);
    expect(onB).toMatchObject({ version: before.version, site: before.site });
    const onMaster = (await master.api('GET', 'site')).body;
    expect(onMaster).toMatchObject({ version: before.version + 1, site: (changed.body as SiteInForceAnswer).site });
  });
});

/** Waits, with a bound, until `node` reports a fence for `reason` on its Cluster page's answer. */
async function untilFenced(node: ClusterAgent, reason: string): Promise<void> {
  const deadline = Date.now() + TAKEOVER_MS;
  for (;;) {
    const status = await node.agent.cluster?.status();
    if (status?.mode === 'etcd' && status.lastFence?.reason === reason) return;
    if (Date.now() > deadline)
      throw new Error(`not within ${TAKEOVER_MS} ms: ${node.agent.ocppUrl} fenced for ${reason}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
