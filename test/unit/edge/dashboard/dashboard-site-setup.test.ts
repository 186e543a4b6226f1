/** The dashboard's site setup API in-process: versions, stale and invalid changes, preview, restore, export, adoption. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  SiteInForceAnswer,
  SitePreviewAnswer,
  SiteVersionsAnswer,
  UnknownChargerAnswer,
  UnknownChargersAnswer,
} from '../../../../shared/dashboard/site-setup-answers';
import { SiteMessageSchema } from '../../../../shared/sync/sync-messages';
import { SiteSchema, type Site } from '../../../../shared/site/site-schema';
import { MeterConfigListSchema } from '../../../../edge/meter/meter-config';
import { SITE, startHarness, type Harness } from './dashboard-harness';

const withFuse = (site: Site, fuseAmps: number): Site => ({
  ...site,
  circuits: site.circuits.map((c) => (c.parent === null ? { ...c, fuseAmps } : c)),
});

describe('dashboard site setup API', () => {
  let h: Harness;
  let auth: { cookie: string; csrf: string };
  const send = async <T>(method: string, url: string, body?: unknown) => {
    const response = await h.call(method, url, { ...auth, ...(body !== undefined && { body }) });
    return { status: response.status, body: (await response.json()) as T };
  };
  beforeEach(async () => {
    h = startHarness();
    auth = await h.signIn();
  });
  afterEach(() => h.close());

  it('should answer the site in force with its version, and refuse it without a session', async () => {
    const signedOut = await h.call('GET', '/api/site');
    const { status, body } = await send<SiteInForceAnswer>('GET', '/api/site');

    expect(signedOut.status).toBe(401);
    expect(status).toBe(200);
    expect(body).toMatchObject({ version: 1, source: 'file', author: 'site file', site: SITE });
  });

  it('should save a change based on the version in force, put it in force, audit it and report it to the cloud', async () => {
    const { status, body } = await send<SiteInForceAnswer>('PUT', '/api/site', {
      baseVersion: 1,
      site: withFuse(SITE, 40),
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({ version: 2, source: 'edit', author: 'admin' });
    expect(h.runtime.site.circuits[0]?.fuseAmps).toBe(40);
    expect(h.logs.find((l) => l.message === 'dashboard change: site.change')?.data).toMatchObject({
      audit: { action: 'site.change', user: 'admin', version: 2, baseVersion: 1 },
    });
    const [event] = h.outbox.read('events', 0, 10);
    const message = SiteMessageSchema.parse(JSON.parse(event?.message ?? 'null'));
    expect(message.body).toMatchObject({
      kind: 'site.changed',
      message: 'site version 2 (edit) by admin: circuits changed: 1',
      details: { version: 2, previousVersion: 1 },
    });
  });

  it('should refuse a change based on a version no longer in force with 409, saying which is', async () => {
    await send('PUT', '/api/site', { baseVersion: 1, site: withFuse(SITE, 40) });

    const { status, body } = await send<{ error: string; message: string }>('PUT', '/api/site', {
      baseVersion: 1,
      site: withFuse(SITE, 50),
    });

    expect(status).toBe(409);
    expect(body).toMatchObject({
      error: 'resource.conflict',
      message: expect.stringContaining('version 2') as unknown,
    });
    expect(h.runtime.site.circuits[0]?.fuseAmps).toBe(40);
  });

  it.each([
    [
      'a field of the wrong kind',
      {
        ...SITE,
        chargers: [
          { ...SITE.chargers[0], maxAmps: -1 },
          { ...SITE.chargers[1], phases: 2 },
        ],
      },
      ['site.chargers[0].maxAmps', 'site.chargers[1].phases'],
    ],
    [
      'broken references',
      {
        ...SITE,
        chargers: [
          { ...SITE.chargers[0], circuit: 'nowhere' },
          { ...SITE.chargers[1], id: 'CP-1' },
        ],
      },
      ['site.chargers[0].circuit', 'site.chargers[1].id'],
    ],
    ['another site id', { ...SITE, id: 'other-site' }, ['site.id']],
  ])('should refuse %s with 400 and every error at its path', async (_what, site, paths) => {
    const { status, body } = await send<{ error: string; details: { path: string }[] }>('PUT', '/api/site', {
      baseVersion: 1,
      site,
    });

    expect(status).toBe(400);
    expect(body.error).toBe('site.invalid');
    expect(body.details.map((d) => d.path).sort()).toEqual(paths);
    expect(h.siteVersions.currentVersion()).toBe(1);
  });

  it('should save the meters with the site as one version, report them, and keep them when a change leaves them out', async () => {
    // Arrange: the root circuit measured by a meter that comes with the change
    const site = { ...SITE, circuits: [{ ...SITE.circuits[0]!, meterId: 'grid' }] };
    const meter = { meterId: 'grid', model: 'eastron-sdm630', connection: { transport: 'tcp', host: '10.0.0.5' } };

    // Act
    const saved = await send<SiteInForceAnswer>('PUT', '/api/site', { baseVersion: 1, site, meters: [meter] });
    const fused = await send<SiteInForceAnswer>('PUT', '/api/site', { baseVersion: 2, site: withFuse(site, 50) });

    // Assert: stored with the file schema's defaults, kept by a change without meters, in the cloud's event
    expect(saved.status).toBe(200);
    expect(saved.body.meters).toEqual([
      expect.objectContaining({ ...meter, connection: { ...meter.connection, port: 502, unitId: 1 } }),
    ]);
    expect(fused.body).toMatchObject({ version: 3, meters: saved.body.meters });
    const [event] = h.outbox.read('events', 0, 10);
    expect(SiteMessageSchema.parse(JSON.parse(event?.message ?? 'null')).body).toMatchObject({
      message: 'site version 2 (edit) by admin: circuits changed: 1; meters added: 1',
      details: { meters: 1 },
    });
  });

  it('should restore an earlier version with its meters', async () => {
    const site = { ...SITE, circuits: [{ ...SITE.circuits[0]!, meterId: 'grid' }] };
    const meter = { meterId: 'grid', model: 'eastron-sdm630', connection: { transport: 'tcp', host: '10.0.0.5' } };
    await send('PUT', '/api/site', { baseVersion: 1, site, meters: [meter] });

    const restored = await send<SiteInForceAnswer>('POST', '/api/site/versions/1/restore', { baseVersion: 2 });

    expect(restored.body).toMatchObject({ version: 3, site: SITE, meters: [] });
    expect(h.siteVersions.current()?.meters).toEqual([]);
  });

  it('should refuse meters that are not valid, or that the circuits do not match, with every error at its path', async () => {
    const site = { ...SITE, circuits: [{ ...SITE.circuits[0]!, meterId: 'grid-2' }] };
    const meter = { meterId: 'grid', model: 'eastron-sdm630', connection: { transport: 'tcp', host: '', port: 70000 } };

    const invalid = await send<{ details: { path: string }[] }>('PUT', '/api/site', {
      baseVersion: 1,
      site: SITE,
      meters: [meter],
    });
    const unmatched = await send<{ details: { path: string }[] }>('PUT', '/api/site', {
      baseVersion: 1,
      site,
      meters: [{ ...meter, connection: { transport: 'tcp', host: '10.0.0.5' } }],
    });

    expect(invalid.status).toBe(400);
    expect(invalid.body.details.map((d) => d.path).sort()).toEqual([
      'meters[0].connection.host',
      'meters[0].connection.port',
    ]);
    expect(unmatched.status).toBe(400);
    expect(unmatched.body.details.map((d) => d.path)).toEqual(['site.circuits[0].meterId']);
    expect(h.siteVersions.currentVersion()).toBe(1);
  });

  it('should refuse to drop a connector with a running session', async () => {
    h.runtime.startSession({
      transactionId: 5,
      chargerId: 'CP-2',
      connectorId: 1,
      startedAt: 0,
      meterStartWh: 0,
      energyWh: 0,
      idTag: 'T',
    });

    const { status, body } = await send<{ details: { path: string; message: string }[] }>('PUT', '/api/site', {
      baseVersion: 1,
      site: { ...SITE, chargers: [SITE.chargers[0]] },
    });

    expect(status).toBe(400);
    expect(body.details).toEqual([
      {
        path: 'site.chargers[1]',
        message: 'connector CP-2/1 has a running session: it cannot leave the site until the session ends',
      },
    ]);
  });

  it('should preview what a change would allocate now without putting it in force', async () => {
    const { status, body } = await send<SitePreviewAnswer>('POST', '/api/site/preview', { site: withFuse(SITE, 10) });

    expect(status).toBe(200);
    expect(body.allocation.circuits.find((c) => c.id === 'main')?.limitAmps).toEqual([10, 10, 10]);
    expect(h.runtime.site.circuits[0]?.fuseAmps).toBe(63);
    expect(h.siteVersions.currentVersion()).toBe(1);
  });

  it('should list the versions, restore an earlier one as a new version, and export the site in force as a file', async () => {
    await send('PUT', '/api/site', { baseVersion: 1, site: withFuse(SITE, 40) });

    const restored = await send<SiteInForceAnswer>('POST', '/api/site/versions/1/restore', { baseVersion: 2 });
    const versions = await send<SiteVersionsAnswer>('GET', '/api/site/versions');
    const exported = await h.call('GET', '/api/site/export', auth);

    expect(restored.body).toMatchObject({ version: 3, source: 'restore', site: SITE });
    expect(versions.body.versions.map((v) => [v.version, v.source])).toEqual([
      [3, 'restore'],
      [2, 'edit'],
      [1, 'file'],
    ]);
    expect(exported.headers.get('Content-Disposition')).toBe('attachment; filename="site-unit-site-v3.json"');
    expect(SiteSchema.parse((JSON.parse(await exported.text()) as { site: unknown }).site)).toEqual(SITE);
  });

  it("should export the meters in force with the site, as the configuration file's two sections", async () => {
    // Arrange: the root circuit measured by a meter saved with the site
    const site = { ...SITE, circuits: [{ ...SITE.circuits[0]!, meterId: 'grid' }] };
    const meter = { meterId: 'grid', model: 'eastron-sdm630', connection: { transport: 'tcp', host: '10.0.0.5' } };
    const saved = await send<SiteInForceAnswer>('PUT', '/api/site', { baseVersion: 1, site, meters: [meter] });

    // Act
    const exported = await h.call('GET', '/api/site/export', auth);

    // Assert: before, the file held the site alone and the meter was lost on the way back into the site file
    const file = JSON.parse(await exported.text()) as { site: unknown; meters: unknown };
    expect(SiteSchema.parse(file.site)).toEqual(saved.body.site);
    expect(MeterConfigListSchema.parse(file.meters)).toEqual(saved.body.meters);
    expect(saved.body.meters).toHaveLength(1);
  });
});

describe('dashboard adoption API', () => {
  let h: Harness;
  let auth: { cookie: string; csrf: string };
  const send = async <T>(method: string, url: string, body?: unknown) => {
    const response = await h.call(method, url, { ...auth, ...(body !== undefined && { body }) });
    return { status: response.status, body: (await response.json()) as T };
  };
  const adoption = { baseVersion: 1, circuit: 'main', phases: 3, maxAmps: 16, password: 'the-chargers-own-password' };
  beforeEach(async () => {
    h = startHarness();
    auth = await h.signIn();
    h.unknownChargers.recordAttempt({ identity: 'NEW-1', remoteAddress: '192.0.2.9', at: 5, held: true });
    h.unknownChargers.recordBoot('NEW-1', { vendor: 'Acme', model: 'W22', firmwareVersion: '1.0' });
  });
  afterEach(() => h.close());

  it('should list the chargers that dialled in unknown and ask one what it reports', async () => {
    const list = await send<UnknownChargersAnswer>('GET', '/api/site/unknown-chargers');
    const detail = await send<UnknownChargerAnswer>('GET', '/api/site/unknown-chargers/NEW-1');

    expect(list.body.chargers).toEqual([
      {
        identity: 'NEW-1',
        remoteAddress: '192.0.2.9',
        firstAt: 5,
        lastAt: 5,
        attempts: 1,
        held: true,
        connected: true,
        vendor: 'Acme',
        model: 'W22',
        firmware: '1.0',
      },
    ]);
    expect(h.commands).toEqual([
      {
        chargerId: 'NEW-1',
        name: 'GetConfiguration',
        request: { key: ['ConnectorPhaseRotation', 'NumberOfConnectors'] },
      },
    ]);
    expect(detail.body.suggestion).toEqual({ connectors: null, phaseRotation: null });
  });

  it('should adopt one into a new version with its password, and forget it as unknown', async () => {
    const { status, body } = await send<SiteInForceAnswer>('POST', '/api/site/unknown-chargers/NEW-1/adopt', {
      ...adoption,
      connectors: 2,
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({ version: 2, source: 'adoption' });
    expect(h.runtime.site.chargers.find((c) => c.id === 'NEW-1')?.connectors).toEqual([{ id: 1 }, { id: 2 }]);
    expect(h.registry.dashboardPassword('NEW-1')).toBeDefined();
    expect(h.unknownChargers.list()).toEqual([]);
  });

  it('should manage an adopted charger like a listed one (the device actions read the version in force)', async () => {
    await send('POST', '/api/site/unknown-chargers/NEW-1/adopt', adoption);

    const generated = await send<{ outcome: string }>('PUT', '/api/chargers/NEW-1/password', { mode: 'generate' });
    const devices = await send<{ chargers: { id: string }[] }>('GET', '/api/chargers');

    expect(generated.status).toBe(200);
    expect(devices.body.chargers.map((c) => c.id)).toEqual(['CP-1', 'CP-2', 'NEW-1']);
  });

  it.each([
    [
      'without a password while basic auth is on',
      { ...adoption, password: undefined },
      [{ path: 'password', reason: 'adoption.passwordRequired' }],
    ],
    [
      'into an unknown circuit',
      { ...adoption, circuit: 'garage' },
      [{ path: 'circuit', reason: 'site.unknownCircuit' }],
    ],
  ])('should refuse an adoption %s with 400 at the field, said by reason', async (_what, request, details) => {
    const { status, body } = await send<{ details: { path: string; reason?: string }[] }>(
      'POST',
      '/api/site/unknown-chargers/NEW-1/adopt',
      request,
    );

    expect(status).toBe(400);
    expect(body.details.map((d) => ({ path: d.path, reason: d.reason }))).toEqual(details);
    expect(h.siteVersions.currentVersion()).toBe(1);
    expect(h.registry.dashboardPassword('NEW-1')).toBeUndefined();
  });

  it('should answer 404 for an identity that never dialled in', async () => {
    const { status } = await send('POST', '/api/site/unknown-chargers/NOBODY/adopt', adoption);

    expect(status).toBe(404);
  });
});
