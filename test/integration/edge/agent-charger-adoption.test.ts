/**
 * A charger with an identity the site does not list dials in, is held Pending and listed on the dashboard, is adopted
 * through the API into a new site version, and is under control at once: it connects again, boots Accepted and gets a
 * lease for its car, without a restart; a fuse edit is in force from the next round and a stale edit is refused; a
 * restart keeps the version, the password and the adoption.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type {
  SiteInForceAnswer,
  UnknownChargerAnswer,
  UnknownChargersAnswer,
} from '../../../shared/dashboard/site-setup-answers';
import { diallingChargePoint, startCharging } from '../ocpp/support/dialling-charge-point';
import { eventually as waitFor } from '../../support/eventually';
import { dashboardSession } from './support/dashboard-session';
import { startEdge, type EdgeFixture } from './support/edge-fixture';

const ADMIN_PASSWORD = 'adoption-admin-password';
const IDENTITY = 'WALLBOX-77';
const CHARGER_PASSWORD = 'wallbox-77-own-password';

/** An ocpp-rpc charge point that boots on every connection, reports two connectors and takes every profile. */
const dialIn = (ocppUrl: string) =>
  diallingChargePoint({
    ocppUrl,
    identity: IDENTITY,
    password: CHARGER_PASSWORD,
    configuration: { ConnectorPhaseRotation: '0.RST,1.STR,2.STR', NumberOfConnectors: '2' },
    boot: { chargePointVendor: 'Acme', chargePointModel: 'Wallbox 22', firmwareVersion: '4.2.1' },
  });

describe('adopting a charger that dials in with an unknown identity', () => {
  let edge: EdgeFixture | undefined;
  let charger: ReturnType<typeof dialIn> | undefined;
  afterEach(async () => {
    await charger?.client.close({ force: true });
    await edge?.close();
  });

  it('should hold it Pending, list it, adopt it through the API and lease its car, take a fuse edit and refuse a stale one, all without a restart, and keep it across one', async () => {
    // Arrange: a site with CP-1 only; unknown chargers are held Pending
    edge = await startEdge({ chargers: 1, unknownChargers: 'Pending' });
    const page = dashboardSession(edge.agent, ADMIN_PASSWORD);
    charger = dialIn(edge.agent.ocppUrl);
    const cp = charger;
    await cp.client.connect();
    await waitFor('boot answered Pending', () => cp.boots.includes('Pending'));

    // Act 1: the installer lists it and asks what it reports
    const listed = (await page.api('GET', 'site/unknown-chargers')).body as UnknownChargersAnswer;
    const detail = (await page.api('GET', `site/unknown-chargers/${IDENTITY}`)).body as UnknownChargerAnswer;
    const before = (await page.api('GET', 'site')).body as SiteInForceAnswer;

    // Assert 1: listed with its boot record and address; its report prefills the entry
    expect(listed.chargers).toEqual([
      expect.objectContaining({
        identity: IDENTITY,
        held: true,
        connected: true,
        vendor: 'Acme',
        model: 'Wallbox 22',
        firmware: '4.2.1',
        remoteAddress: expect.stringContaining('127.0.0.1') as unknown,
      }),
    ]);
    expect(detail.suggestion).toEqual({ connectors: 2, phaseRotation: 'L2L3L1' });
    expect(before.site.chargers.map((c) => c.id)).toEqual(['CP-1']);

    // Act 2: adopt it with what it reported, then a car plugs in on connector 2
    const adopted = await page.api('POST', `site/unknown-chargers/${IDENTITY}/adopt`, {
      baseVersion: before.version,
      circuit: 'main',
      phases: 3,
      phaseRotation: detail.suggestion.phaseRotation,
      maxAmps: 16,
      connectors: detail.suggestion.connectors,
      password: CHARGER_PASSWORD,
    });
    await waitFor('boot answered Accepted after the adoption', () => cp.boots.includes('Accepted'));
    const started = await startCharging(cp.client, 2, 'TAG-1');
    await waitFor('a lease for the car', () =>
      cp.profiles.some((p) => p.connectorId === 2 && p.csChargingProfiles.chargingProfilePurpose === 'TxProfile'),
    );

    // Assert 2: a new version with the charger as entered; the transaction is controlled
    expect(adopted.status).toBe(200);
    const version = adopted.body as SiteInForceAnswer;
    expect(version).toMatchObject({ version: before.version + 1, source: 'adoption', author: 'admin' });
    expect(version.site.chargers.find((c) => c.id === IDENTITY)).toMatchObject({
      circuit: 'main',
      phases: 3,
      phaseRotation: 'L2L3L1',
      maxAmps: 16,
      connectors: [{ id: 1 }, { id: 2 }],
    });
    expect(started.idTagInfo.status).toBe('Accepted');
    expect(((await page.api('GET', 'site/unknown-chargers')).body as UnknownChargersAnswer).chargers).toEqual([]);

    // Act 2b: a fuse edit on the version in force, then an edit based on the version before it
    const lowered = await page.api('PUT', 'site', {
      baseVersion: version.version,
      site: { ...version.site, circuits: [{ id: 'main', parent: null, fuseAmps: 20 }] },
    });
    const stale = await page.api('PUT', 'site', { baseVersion: version.version, site: version.site });
    const limitOfMain = () =>
      edge?.agent.controller.allocation?.circuits.find((c) => c.id === 'main')?.limitAmps[0] ?? Infinity;

    // Assert 2b: the next round allocates under the new fuse, without a restart; the stale edit is refused
    expect(lowered.status).toBe(200);
    expect(limitOfMain()).toBeLessThanOrEqual(20);
    expect(stale.status).toBe(409);

    // Act 3: the agent restarts (the charger stays and dials in again)
    const { dataDir } = edge;
    const ocppPort = edge.agent.ocppPort;
    await edge.stopAgent();
    const bootsBefore = cp.boots.length;
    edge = await startEdge({ chargers: 1, unknownChargers: 'Pending', dataDir, ocppPort });
    await waitFor('boot answered again after the restart', () => cp.boots.length > bootsBefore);
    const after = (await dashboardSession(edge.agent, ADMIN_PASSWORD).api('GET', 'site')).body as SiteInForceAnswer;

    // Assert 3: the same version in force, and the charger signs in with its password and is accepted
    expect(after.version).toBe(version.version + 1);
    expect(after.site.chargers).toEqual(version.site.chargers);
    expect(after.site.circuits).toEqual([{ id: 'main', parent: null, fuseAmps: 20 }]);
    expect(cp.boots.at(-1)).toBe('Accepted');
  }, 30_000);
});
