/**
 * The charger registry's credentials across a takeover, with two real agents on a real three-member etcd: a password
 * set (rotated) on the old master's dashboard, and a charger switched off there, hold on the new master once it serves;
 * the ledger keeps the password's hash, never the password. A standby refuses such a change (it would be lost).
 */
import { Etcd3 } from 'etcd3';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { type DashboardSession, dashboardSession } from '../edge/support/dashboard-session';
import { revokeLeaderLease } from './support/leader-key';
import { TAKEOVER_MS, takeoverSite } from './support/takeover-site';

const ADMIN_PASSWORD = 'charger-takeover-password';
const ROTATED = 'rotated-password-of-cp-1';

describe('charger credentials in the cluster ledger', () => {
  const site = takeoverSite({ chargers: 2 });

  it('should let a charger in on the new master with the password set on the old one, and keep a switched-off charger off', async () => {
    // Arrange: gw-a serves; CP-1's password is rotated and CP-2 switched off on its dashboard
    const { siteId, a, b } = await site.masterAndStandby();
    const dashboardA = dashboardSession(a.agent, ADMIN_PASSWORD);
    const rotated = await dashboardA.api('PUT', 'chargers/CP-1/password', { mode: 'set', password: ROTATED });
    const switched = await dashboardA.api('PUT', 'chargers/CP-2/enabled', { enabled: false });
    const dashboardB = dashboardSession(b.agent, ADMIN_PASSWORD);
    const onStandby = await dashboardB.api('PUT', 'chargers/CP-1/password', {
      mode: 'set',
      password: 'set-on-the-standby-cp-1',
    });
    const onA = await chargerRows(dashboardA);
    const client = new Etcd3({ hosts: [...site.etcd().endpoints] });
    const ledger = await client.getAll().prefix(`ampshare/${siteId}/ledger/chargers/`).strings();
    client.close();

    // Act: gw-a loses its lease at etcd, gw-b takes over
    await revokeLeaderLease(site.etcd().endpoints, siteId);
    await eventually('gw-b serves as master', () => b.serving, TAKEOVER_MS);

    // Assert
    expect(rotated.status).toBe(200);
    expect(switched.status).toBe(200);
    expect(onStandby).toMatchObject({ status: 409, body: { reason: 'cluster.notMaster' } });
    expect(Object.keys(ledger).sort()).toEqual([
      `ampshare/${siteId}/ledger/chargers/CP-1`,
      `ampshare/${siteId}/ledger/chargers/CP-2`,
    ]);
    expect(Object.values(ledger).join()).not.toContain(ROTATED);
    await expect(site.charger('CP-1', b.agent.ocppUrl, ROTATED).connect()).resolves.toBe('Accepted');
    await expect(site.charger('CP-1', b.agent.ocppUrl).connect()).rejects.toThrow();
    // As gw-a's dashboard showed them: CP-1's password set there (and when), CP-2's still the configured one
    expect(await chargerRows(dashboardB)).toEqual(onA);
    expect(onA).toEqual([
      { id: 'CP-1', enabled: true, passwordSetAt: onA[0]?.passwordSetAt },
      { id: 'CP-2', enabled: false, passwordSetAt: null },
    ]);
    expect(onA[0]?.passwordSetAt).toBeTypeOf('number');
  });
});

/** Each charger's switch and when its password was set on the dashboard, as the node's dashboard lists them. */
async function chargerRows(dashboard: DashboardSession) {
  const answer = (await dashboard.api('GET', 'chargers')).body as {
    chargers: { id: string; enabled: boolean; password: { setAt: number | null } }[];
  };
  return answer.chargers.map(({ id, enabled, password }) => ({ id, enabled, passwordSetAt: password.setAt }));
}
