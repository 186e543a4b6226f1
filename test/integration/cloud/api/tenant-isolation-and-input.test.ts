import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyInput, siteInput } from '../support/fleet-builders';
import { json, NOW, startApiHarness, type ApiHarness } from '../support/api-harness';

interface ErrorBody {
  error: string;
  message: string;
  details: Array<{ path: string; message: string }>;
}

/** Every route that names a site, with a valid body where one is needed. */
const SITE_ROUTES: Array<[method: string, path: string, body?: unknown, headers?: Record<string, string>]> = [
  ['GET', '/sites/victim'],
  ['PUT', '/sites/victim', { $schemaVersion: 1, circuits: [{ id: 'main', parent: null, fuseAmps: 10 }] }],
  ['DELETE', '/sites/victim'],
  ['GET', '/sites/victim/chargers'],
  ['PUT', '/sites/victim/chargers/CP-1', { circuit: 'main', phases: 1, maxAmps: 16 }],
  ['DELETE', '/sites/victim/chargers/CP-1'],
  ['GET', `/sites/victim/telemetry?from=${NOW - 1000}&to=${NOW}`],
  ['GET', '/sites/victim/sessions'],
  ['GET', '/sites/victim/events'],
  ['GET', '/sites/victim/demand-months'],
  ['GET', '/sites/victim/cluster'],
  ['GET', '/sites/victim/demand-tariff'],
  ['PUT', '/sites/victim/demand-tariff', { perKw: 48, per: 'year', currency: 'EUR' }],
  ['GET', '/sites/victim/policy'],
  ['GET', '/sites/victim/policy/history'],
  ['PUT', '/sites/victim/policy', policyInput(40), { 'If-Match': '1' }],
  ['POST', '/sites/victim/policy/preview', {}],
  ['GET', '/sites/victim/gateways'],
  ['POST', '/sites/victim/gateways'],
  ['DELETE', '/sites/victim/gateways/amp-victim-r1'],
];

describe('tenant isolation, authentication and bad input', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
    await h.request('/sites', { method: 'POST', tenant: 'bravo', body: siteInput('victim') });
    await h.request('/sites/victim/policy', {
      method: 'PUT',
      tenant: 'bravo',
      headers: { 'If-Match': '0' },
      body: policyInput(40),
    });
    await h.request('/sites/victim/gateways', { method: 'POST', tenant: 'bravo' });
    await h.request('/sites', { method: 'POST', tenant: 'alpha', body: siteInput('own') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it.each(SITE_ROUTES)('should answer 404 to another tenant on %s %s', async (method, path, body, headers) => {
    const response = await h.request(path, { method, tenant: 'alpha', body, headers });
    expect(response.status).toBe(404);
    expect((await json<ErrorBody>(response)).error).toBe('resource.notFound');
  });

  it("should leave the other tenant's data untouched and keep it out of lists and rollouts", async () => {
    const list = await json<{ items: Array<{ id: string }> }>(await h.request('/sites', { tenant: 'alpha' }));
    expect(list.items.map((s) => s.id)).toEqual(['own']);
    const rollout = await json<{ results: Array<{ status: string }> }>(
      await h.request('/policies/rollout', {
        method: 'POST',
        tenant: 'alpha',
        body: { siteIds: ['victim'], policy: policyInput(99) },
      }),
    );
    expect(rollout.results[0]?.status).toBe('notFound');
    const victim = await json<{ desired: { version: number } }>(
      await h.request('/sites/victim/policy', { tenant: 'bravo' }),
    );
    expect(victim.desired.version).toBe(1);
    expect((await h.request('/sites/victim', { tenant: 'bravo' })).status).toBe(200);
  });

  it('should answer 401 without a valid token and 403 without an active tenant', async () => {
    const foreignKey = (await generateKeyPair('ES256')).privateKey;
    const forged = await new SignJWT({ tenant: 'alpha' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(h.issuer.issuer)
      .setAudience(h.issuer.audience)
      .setExpirationTime(Math.floor(NOW / 1000) + 60)
      .sign(foreignKey);
    const expired = await h.issuer.issue({ tenantId: 'alpha', ttlSeconds: -60 });
    const cases: Array<[string | undefined, number]> = [
      [undefined, 401],
      ['Basic dXNlcjpwYXNz', 401],
      ['Bearer not-a-jwt', 401],
      [`Bearer ${forged}`, 401],
      [`Bearer ${expired}`, 401],
      [`Bearer ${await h.issuer.issue({ tenantId: 'ghost' })}`, 403],
      [`Bearer ${await h.issuer.issue({ tenantId: 'bad tenant/id' })}`, 403],
    ];
    for (const [authorization, status] of cases) {
      const response = await h.request('/sites', { headers: authorization ? { Authorization: authorization } : {} });
      expect({ authorization: authorization?.slice(0, 12), status: response.status }).toEqual({
        authorization: authorization?.slice(0, 12),
        status,
      });
      const body = await json<ErrorBody>(response);
      expect(body.error).toBe(status === 401 ? 'auth.unauthenticated' : 'auth.forbidden');
      if (status === 401) expect(response.headers.get('WWW-Authenticate')).toBe('Bearer');
    }
    await h.local.repositories.tenants.put({ id: 'frozen', name: 'frozen', status: 'disabled', createdAt: NOW });
    const disabled = await h.request('/sites', {
      headers: { Authorization: `Bearer ${await h.issuer.issue({ tenantId: 'frozen' })}` },
    });
    expect(disabled.status).toBe(403);
  });

  const BAD_INPUT: Array<
    [name: string, method: string, path: string, body: unknown, paths: string[], headers?: Record<string, string>]
  > = [
    ['site body not JSON', 'POST', '/sites', '{"id":', ['(root)']],
    [
      'site body with bad fields',
      'POST',
      '/sites',
      { ...siteInput('x'), id: 'bad id', nominalVolts: 5, extra: 1 },
      ['(root)', 'id', 'nominalVolts'],
    ],
    ['site list limit', 'GET', '/sites?limit=0&foo=1', undefined, ['query.limit', 'query']],
    ['site list cursor', 'GET', '/sites?cursor=%21%21', undefined, ['query.cursor']],
    ['site id in path', 'GET', '/sites/bad%20id', undefined, ['params.siteId']],
    ['site update', 'PUT', '/sites/own', { $schemaVersion: 2, circuits: [] }, ['$schemaVersion', 'circuits']],
    [
      'charger body',
      'PUT',
      '/sites/own/chargers/CP-1',
      { circuit: 'main', phases: 2, maxAmps: -1 },
      ['phases', 'maxAmps'],
    ],
    [
      'charger id mismatch',
      'PUT',
      '/sites/own/chargers/CP-1',
      { id: 'CP-2', circuit: 'main', phases: 1, maxAmps: 16 },
      ['id'],
    ],
    ['telemetry range', 'GET', '/sites/own/telemetry?from=10&to=5&points=0', undefined, ['query.points', 'query.to']],
    ['telemetry too long', 'GET', `/sites/own/telemetry?from=0&to=${NOW}`, undefined, ['query.to']],
    ['sessions query', 'GET', '/sites/own/sessions?limit=abc&cursor=', undefined, ['query.limit', 'query.cursor']],
    ['events cursor', 'GET', '/sites/own/events?cursor=Zm9v', undefined, ['cursor']],
    ['policy history', 'GET', '/sites/own/policy/history?before=1', undefined, ['query.before']],
    [
      'policy body',
      'PUT',
      '/sites/own/policy',
      { $schemaVersion: 1, budget: { unit: 'W', min: 5, max: 1 } },
      ['budget.unit'],
      { 'If-Match': '0' },
    ],
    ['policy If-Match', 'PUT', '/sites/own/policy', policyInput(), ['headers.If-Match'], { 'If-Match': 'abc' }],
    [
      'preview body',
      'POST',
      '/sites/own/policy/preview',
      { request: { connector: 'CP-1' }, at: -1 },
      ['request.connector', 'at'],
    ],
    [
      'rollout body',
      'POST',
      '/policies/rollout',
      { siteIds: ['a', 'a'], policy: { $schemaVersion: 1 } },
      ['siteIds', 'policy.budget'],
    ],
    ['gateway thing name', 'DELETE', '/sites/own/gateways/bad.name', undefined, ['params.thingName']],
  ];

  it('should answer 413 with the limit to a body over 1 MiB', async () => {
    const response = await h.request('/sites', {
      method: 'POST',
      tenant: 'alpha',
      body: `"${'x'.repeat(1024 * 1024)}"`,
    });
    expect(response.status).toBe(413);
    expect(await json<ErrorBody>(response)).toMatchObject({
      error: 'message.tooLarge',
      message: 'the request body is larger than 1048576 bytes',
    });
  });

  it.each(BAD_INPUT)(
    'should answer 400 naming each bad field: %s',
    async (_name, method, path, body, paths, headers) => {
      const response = await h.request(path, { method, tenant: 'alpha', body, headers });
      expect(response.status).toBe(400);
      const error = await json<ErrorBody>(response);
      expect(error.error).toMatch(/\.invalid$/);
      expect(error.details.map((d) => d.path).sort()).toEqual([...paths].sort());
    },
  );
});
