/**
 * The dashboard's charger configuration routes against the whole agent and an ocpp-rpc charge point: the charger's
 * answers, and the precise refusals when it has none: a call it does not answer in time (504), one it answers with a
 * CALLERROR (502), a charger that is offline (409) or not on the site (404), and a body that is not a call (400).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChargerConfigurationAnswer } from '../../../shared/dashboard/charger-configuration-answers';
import { diallingChargePoint } from '../ocpp/support/dialling-charge-point';
import { eventually as waitFor } from '../../support/eventually';
import { dashboardSession } from './support/dashboard-session';
import { passwordOf, startEdge, type EdgeFixture } from './support/edge-fixture';

describe('charger configuration routes', () => {
  let edge: EdgeFixture | undefined;
  let charger: ReturnType<typeof diallingChargePoint> | undefined;
  afterEach(async () => {
    await charger?.client.close({ force: true });
    await edge?.close();
  });

  it('should answer what the charger says, and say precisely why when it says nothing', async () => {
    // Arrange: CP-1 connected; once booted it stops answering GetConfiguration and knows no Reset
    edge = await startEdge({ chargers: 1 });
    const fixture = edge;
    const page = dashboardSession(fixture.agent, 'charger-configuration-admin');
    charger = diallingChargePoint({
      ocppUrl: fixture.agent.ocppUrl,
      identity: 'CP-1',
      password: passwordOf('CP-1'),
      configuration: { HeartbeatInterval: '300' },
      boot: { chargePointVendor: 'Acme', chargePointModel: 'Wallbox 11', firmwareVersion: '2.0.0' },
    });
    const cp = charger;
    await cp.client.connect();
    await waitFor('CP-1 booted', () => cp.boots.includes('Accepted') && cp.profiles.length > 0);

    // Act
    const read = await page.api('GET', 'chargers/CP-1/configuration');
    const changed = await page.api('PUT', 'chargers/CP-1/configuration', { key: 'HeartbeatInterval', value: '60' });
    cp.client.handle('GetConfiguration', () => new Promise(() => undefined));
    const silent = await page.api('GET', 'chargers/CP-1/configuration');
    const unknownCall = await page.api('POST', 'chargers/CP-1/reset', { type: 'Soft' });
    const notOnSite = await page.api('POST', 'chargers/CP-9/reset', { type: 'Soft' });
    const bad = await page.api('POST', 'chargers/CP-1/unlock', { connectorId: 7 });
    await cp.client.close({ force: true });
    await waitFor('CP-1 offline', () => !fixture.agent.centralSystem.connectedChargers().includes('CP-1'));
    const offline = await page.api('POST', 'chargers/CP-1/trigger', { requestedMessage: 'Heartbeat' });

    // Assert
    expect(read.status).toBe(200);
    expect((read.body as ChargerConfigurationAnswer).keys).toEqual([
      { key: 'HeartbeatInterval', readonly: true, value: '300', managed: null, managedReason: null },
    ]);
    expect(changed).toEqual({ status: 200, body: { chargerId: 'CP-1', status: 'Accepted' } });
    expect(silent).toMatchObject({
      status: 504,
      body: { error: 'charger.timeout', message: 'charger "CP-1" did not answer GetConfiguration in time' },
    });
    expect(unknownCall).toMatchObject({ status: 502, body: { error: 'charger.rejected' } });
    expect((unknownCall.body as { message: string }).message).toMatch(
      /^charger "CP-1" answered Reset with an error \(NotImplemented\)$/,
    );
    expect(notOnSite).toMatchObject({ status: 404, body: { error: 'resource.notFound' } });
    expect(bad).toMatchObject({ status: 400, body: { details: [{ path: 'connectorId' }] } });
    expect(offline).toMatchObject({
      status: 409,
      body: { message: 'charger "CP-1" is not connected: TriggerMessage needs it online' },
    });
  }, 30_000);
});
