/**
 * The cloud link and the CSMS health follow the site in force, not the site file: a charger adopted on the dashboard
 * is counted in the telemetry's CSMS health and takes the cloud's commands, and a fuse edit is the telemetry's fuse,
 * all without a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SiteInForceAnswer } from '../../../shared/dashboard/site-setup-answers';
import { SiteBatchSchema, TelemetryBodySchema, type TelemetryBody } from '../../../shared/sync/sync-messages';
import {
  SiteCommandResultSchema,
  type SiteCommandBody,
  type SiteCommandResult,
} from '../../../shared/sync/site-commands';
import { gatewayCommandResultTopic, gatewayCommandTopic, gatewayStreamTopic } from '../../../shared/sync/sync-topics';
import { diallingChargePoint } from '../ocpp/support/dialling-charge-point';
import { eventually as waitFor } from '../../support/eventually';
import { restartPort } from '../../support/restart-port';
import { TestBroker } from './sync/support/test-broker';
import { dashboardSession } from './support/dashboard-session';
import { startEdge, type EdgeFixture } from './support/edge-fixture';

const THING = 'site-in-force-gw';
const SITE = 'it-site';
const IDENTITY = 'WALLBOX-88';
const CHARGER_PASSWORD = 'wallbox-88-own-password';

describe('the site in force on the cloud link', () => {
  let edge: EdgeFixture | undefined;
  let broker: TestBroker | undefined;
  let charger: ReturnType<typeof diallingChargePoint> | undefined;
  afterEach(async () => {
    await charger?.client.close({ force: true });
    await edge?.close();
    await broker?.close();
  });

  it('should count an adopted charger in the CSMS health, take a command for it and send the edited fuse, without a restart', async () => {
    // Arrange: a site with CP-1 behind a CSMS that is down, linked to a broker that records what the gateway publishes
    const mqtt = await TestBroker.start();
    broker = mqtt;
    const telemetry: TelemetryBody[] = [];
    const results: SiteCommandResult[] = [];
    mqtt.aedes.on('publish', (packet) => {
      if (packet.topic === gatewayStreamTopic(THING, 'telemetry'))
        for (const m of SiteBatchSchema.parse(JSON.parse(packet.payload.toString())).messages)
          telemetry.push(TelemetryBodySchema.parse(m.body));
      if (packet.topic === gatewayCommandResultTopic(THING))
        results.push(SiteCommandResultSchema.parse(JSON.parse(packet.payload.toString())));
    });
    edge = await startEdge({
      chargers: 1,
      unknownChargers: 'Pending',
      sync: {
        broker: { kind: 'local', url: `mqtt://127.0.0.1:${mqtt.port}`, username: THING, password: 'broker-password' },
        thingName: THING,
        siteId: SITE,
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
        telemetryIntervalSeconds: 1,
      },
      upstream: {
        csmsUrl: `ws://127.0.0.1:${await restartPort()}`,
        unknownTags: 'accept',
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      },
    });
    const fixture = edge;
    const page = dashboardSession(fixture.agent, 'site-in-force-admin');
    await waitFor('telemetry with the CSMS health of CP-1', () => telemetry.some((t) => t.csms?.chargers === 1));
    charger = diallingChargePoint({
      ocppUrl: fixture.agent.ocppUrl,
      identity: IDENTITY,
      password: CHARGER_PASSWORD,
      configuration: { NumberOfConnectors: '1' },
      boot: { chargePointVendor: 'Acme', chargePointModel: 'Wallbox 11', firmwareVersion: '1.0.0' },
    });
    const cp = charger;
    cp.client.handle('Reset', () => Promise.resolve({ status: 'Accepted' }));
    await cp.client.connect();
    await waitFor('boot answered Pending', () => cp.boots.includes('Pending'));

    // Act: adopt the charger and lower the fuse on the dashboard, then the cloud resets the adopted charger
    const before = (await page.api('GET', 'site')).body as SiteInForceAnswer;
    const adopted = await page.api('POST', `site/unknown-chargers/${IDENTITY}/adopt`, {
      baseVersion: before.version,
      circuit: 'main',
      phases: 3,
      maxAmps: 16,
      connectors: 1,
      password: CHARGER_PASSWORD,
    });
    const version = adopted.body as SiteInForceAnswer;
    const lowered = await page.api('PUT', 'site', {
      baseVersion: version.version,
      site: { ...version.site, circuits: [{ id: 'main', parent: null, fuseAmps: 40 }] },
    });
    // Its next boot is answered once its fail-safe and first idle hold are in (docs/ocpp.md, "At boot"), bounded by
    // three command timeouts
    await waitFor('boot answered Accepted after the adoption', () => cp.boots.includes('Accepted'), 20_000);
    const reset: SiteCommandBody = { type: 'reset', chargerId: IDENTITY, resetType: 'Soft' };
    mqtt.aedes.publish(
      {
        cmd: 'publish',
        topic: gatewayCommandTopic(THING),
        payload: JSON.stringify({
          v: 1,
          commandId: 'reset-adopted-1',
          siteId: SITE,
          issuedAt: Date.now(),
          command: reset,
        }),
        qos: 1,
        retain: false,
        dup: false,
      },
      () => undefined,
    );
    await waitFor('the command answered', () => results.length > 0);
    const seen = telemetry.length;
    await waitFor('telemetry after the edits', () => telemetry.length > seen);

    // Assert: the adopted charger is part of the site the cloud link and the CSMS health see
    expect(adopted.status).toBe(200);
    expect(lowered.status).toBe(200);
    expect(results[0]).toMatchObject({ commandId: 'reset-adopted-1', status: 'done' });
    expect(telemetry.at(-1)).toMatchObject({ fuseAmps: [40, 40, 40], csms: { chargers: 2 } });
  }, 60_000);
});
