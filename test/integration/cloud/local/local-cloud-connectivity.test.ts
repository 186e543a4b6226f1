/**
 * A site's connectivity comes from the broker: the local broker publishes AWS IoT's lifecycle events
 * (`$aws/events/presence/{connected,disconnected}/<clientId>`) when a gateway connects and when its connection ends
 * (a clean disconnect or a dropped socket), the rules bridge hands them to the same code as the ingest Lambda, and the
 * API (and with it the console's Online/Offline filter) shows the state with its time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordPresence } from '../../../../cloud/ingest/record-presence';
import { startLocalCloud, type LocalCloud } from '../../../../cloud/local/start-local-cloud';
import { api, connectGateway, nextOutcome, registerGateway, type GatewayCredentials } from './local-cloud-kit';

interface SiteSummary {
  id: string;
  connectivity: { state: string; since: number };
}

describe('site connectivity from the local broker', () => {
  let cloud: LocalCloud;
  let gateway: GatewayCredentials;

  beforeAll(async () => {
    cloud = await startLocalCloud();
    gateway = await registerGateway(cloud, cloud.demo.siteId);
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  /** The bridge recording the gateway's next connect (online) or disconnect (offline). */
  const presence = (state: 'online' | 'offline') =>
    nextOutcome(
      cloud.bridge,
      (o) =>
        o.kind === 'presence' &&
        o.thingName === gateway.thingName &&
        o.result.status === 'recorded' &&
        o.result.change.state === state,
    );
  const connectivity = async () =>
    ((await (await api(cloud, `/sites/${cloud.demo.siteId}`)).json()) as SiteSummary).connectivity;
  const listed = async (state: string) =>
    ((await (await api(cloud, '/sites')).json()) as { items: SiteSummary[] }).items
      .filter((s) => s.connectivity.state === state)
      .map((s) => s.id);

  it('should show a site online once its gateway connects, and offline once it disconnects', async () => {
    expect((await connectivity()).state).toBe('unknown');
    const before = Date.now();

    const online = presence('online');
    const client = await connectGateway(cloud, gateway);
    await online;

    expect(await connectivity()).toEqual({ state: 'online', since: expect.any(Number) as unknown });
    expect((await connectivity()).since).toBeGreaterThanOrEqual(before);
    expect(await listed('online')).toEqual([cloud.demo.siteId]);
    expect(await listed('offline')).toEqual([]);

    const offline = presence('offline');
    await client.close();
    await offline;

    expect((await connectivity()).state).toBe('offline');
    expect(await listed('offline')).toEqual([cloud.demo.siteId]);
  });

  it('should show a site offline when its gateway is killed (the socket drops without a DISCONNECT)', async () => {
    const online = presence('online');
    const client = await connectGateway(cloud, gateway);
    await online;
    expect((await connectivity()).state).toBe('online');

    const offline = presence('offline');
    client.client.stream.destroy();
    await offline;

    expect((await connectivity()).state).toBe('offline');
    await client.client.endAsync(true);
  });

  it('should keep a site online when the gateway reconnects with the same client id before its old connection is gone', async () => {
    const first = await connectGateway(cloud, gateway);
    const secondOnline = presence('online');
    const second = await connectGateway(cloud, gateway);
    await secondOnline;
    await cloud.bridge.idle();

    expect((await connectivity()).state).toBe('online');
    await second.client.endAsync(true);
    await first.client.endAsync(true);
  });

  it("should let only a later event of the site's gateway change its connectivity (late, repeated and foreign events change nothing)", async () => {
    await cloud.bridge.idle();
    const event = (eventType: 'connected' | 'disconnected', versionNumber: number, clientId = gateway.thingName) => ({
      clientId,
      eventType,
      timestamp: Date.now(),
      versionNumber,
    });
    const record = (input: unknown) => recordPresence(cloud.ingest, input);

    expect(await record(event('connected', 100))).toMatchObject({
      status: 'recorded',
      siteId: cloud.demo.siteId,
      change: { state: 'online' },
    });
    expect(await record(event('disconnected', 99))).toMatchObject({ status: 'ignored' });
    expect(await record(event('connected', 100))).toMatchObject({ status: 'ignored' });
    expect((await connectivity()).state).toBe('online');
    expect(await record(event('disconnected', 100))).toMatchObject({
      status: 'recorded',
      change: { state: 'offline' },
    });
    expect(await record(event('connected', 100))).toMatchObject({ status: 'ignored' });
    expect((await connectivity()).state).toBe('offline');

    expect(await record(event('connected', 1, 'amp-nobody'))).toMatchObject({
      status: 'ignored',
      reason: expect.stringMatching(/not a registered gateway/) as unknown,
    });
    expect(
      await record({ clientId: gateway.thingName, eventType: 'subscribed', timestamp: 1, versionNumber: 1 }),
    ).toMatchObject({ status: 'rejected', code: 'message.invalid', issues: [{ path: 'eventType' }] });
    expect((await connectivity()).state).toBe('offline');
  });

  it("should show unknown once the site's gateway is revoked, and not listen to that gateway's events any more", async () => {
    // Online through an event later than any of the tests above.
    await recordPresence(cloud.ingest, {
      clientId: gateway.thingName,
      eventType: 'connected',
      timestamp: Date.now(),
      versionNumber: 200,
    });
    expect((await connectivity()).state).toBe('online');

    const revoked = await api(cloud, `/sites/${cloud.demo.siteId}/gateways/${gateway.thingName}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect((await connectivity()).state).toBe('unknown');
    expect(
      await recordPresence(cloud.ingest, {
        clientId: gateway.thingName,
        eventType: 'disconnected',
        timestamp: Date.now(),
        versionNumber: 300,
      }),
    ).toMatchObject({ status: 'ignored' });
    expect((await connectivity()).state).toBe('unknown');
  });
});
