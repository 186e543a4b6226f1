import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { MAX_DESIRED_BYTES } from '../../../../shared/sync/sync-messages';
import { desiredStateBytes } from '../../../../cloud/ports/policy-publisher';
import { policyInput, siteInput } from '../support/fleet-builders';
import { json, startApiHarness, type ApiHarness } from '../support/api-harness';

interface PutResult {
  desired: { version: number; policy: { budget: { max: number } } };
  push: { status: string };
}

describe('policies and gateways API on a real local DynamoDB', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
    for (const id of ['pol-1', 'pol-2', 'pol-3'])
      await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput(id) });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('should replace the policy with If-Match, refuse a stale version with 409 and keep the history', async () => {
    const empty = await h.request('/sites/pol-1/policy', { tenant: 'acme' });
    expect(empty.headers.get('ETag')).toBe('"0"');
    expect(await json(empty)).toMatchObject({ desired: null, applied: null, inSync: false });

    const v1 = await h.request('/sites/pol-1/policy', {
      method: 'PUT',
      tenant: 'acme',
      headers: { 'If-Match': '"0"' },
      body: policyInput(40),
    });
    expect(v1.status).toBe(200);
    expect(v1.headers.get('ETag')).toBe('"1"');
    const v2 = await h.request('/sites/pol-1/policy?expectedVersion=1', {
      method: 'PUT',
      tenant: 'acme',
      body: policyInput(50),
    });
    expect((await json<PutResult>(v2)).desired.version).toBe(2);

    const stale = await h.request('/sites/pol-1/policy', {
      method: 'PUT',
      tenant: 'acme',
      headers: { 'If-Match': '"1"' },
      body: policyInput(60),
    });
    expect(stale.status).toBe(409);
    expect(await json(stale)).toMatchObject({
      error: 'resource.conflict',
      message: 'the policy is at version 2, not 1: reload it and apply your change again',
      reason: 'policy.stale',
      params: { current: 2, expected: 1 },
      details: [
        {
          path: 'expectedVersion',
          message: 'current version is 2',
          reason: 'policy.currentVersion',
          params: { current: 2 },
        },
      ],
    });

    const history = await json<{ items: Array<{ version: number; author: string }> }>(
      await h.request('/sites/pol-1/policy/history', { tenant: 'acme' }),
    );
    expect(history.items.map((v) => v.version)).toEqual([2, 1]);
    expect(history.items[0]?.author).toBe('user@acme');
  });

  it('should require the edited version so that no write is blind', async () => {
    const blind = await h.request('/sites/pol-2/policy', { method: 'PUT', tenant: 'acme', body: policyInput(40) });
    expect(blind.status).toBe(400);
    expect((await json<{ details: Array<{ path: string }> }>(blind)).details[0]?.path).toBe('headers.If-Match');
  });

  it('should push the desired policy to the registered gateway, and report a failed push without losing the write', async () => {
    const reg = await h.request('/sites/pol-2/gateways', { method: 'POST', tenant: 'acme' });
    expect(reg.status).toBe(201);
    const { registration, credentials, policyPush } = await json<{
      registration: { thingName: string; status: string };
      credentials: { kind: string; username: string; password: string };
      policyPush: { status: string };
    }>(reg);
    expect(registration.status).toBe('active');
    expect(policyPush.status).toBe('skipped');
    expect(h.provisioner.authenticate(credentials.username, credentials.password)).toBe(true);

    const put = await json<PutResult>(
      await h.request('/sites/pol-2/policy', {
        method: 'PUT',
        tenant: 'acme',
        headers: { 'If-Match': '0' },
        body: policyInput(45),
      }),
    );
    expect(put.push.status).toBe('sent');
    expect(h.publisher.published.at(-1)).toMatchObject({
      thingName: registration.thingName,
      siteId: 'pol-2',
      version: 1,
    });

    h.publisher.failNext = true;
    const failed = await json<PutResult>(
      await h.request('/sites/pol-2/policy', {
        method: 'PUT',
        tenant: 'acme',
        headers: { 'If-Match': '1' },
        body: policyInput(46),
      }),
    );
    expect(failed.push.status).toBe('failed');
    expect(failed.desired.version).toBe(2);

    const revoked = await h.request(`/sites/pol-2/gateways/${registration.thingName}`, {
      method: 'DELETE',
      tenant: 'acme',
    });
    expect(revoked.status).toBe(200);
    expect(h.provisioner.authenticate(credentials.username, credentials.password)).toBe(false);
    expect(
      (await h.request(`/sites/pol-2/gateways/${registration.thingName}`, { method: 'DELETE', tenant: 'acme' })).status,
    ).toBe(409);
  });

  describe('the policy in force (what the console edits)', () => {
    const running = PolicySchema.parse({
      $schemaVersion: 1,
      budget: { unit: 'kW', min: 0, max: 30 },
      control: { mode: 'dynamic' },
      closedLoop: { enabled: true },
      vip: { enabled: true, idTags: ['VIP-1'] },
    });
    type View = {
      inForce: { basis: string; version: number; source: string; policy: { budget: { max: number } } } | null;
    };
    const view = async (siteId: string) => json<View>(await h.request(`/sites/${siteId}/policy`, { tenant: 'acme' }));
    const put = async (siteId: string, expected: number, max: number) =>
      expect(
        (
          await h.request(`/sites/${siteId}/policy`, {
            method: 'PUT',
            tenant: 'acme',
            headers: { 'If-Match': `"${expected}"` },
            body: policyInput(max),
          })
        ).status,
      ).toBe(200);

    beforeAll(async () => {
      for (const id of ['run-1', 'run-2', 'run-3', 'run-4'])
        await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput(id) });
    });

    it("should be the site's own report when the cloud never pushed a policy", async () => {
      await h.local.repositories.policies.putApplied({
        tenantId: 'acme',
        siteId: 'run-1',
        version: 0,
        status: 'applied',
        source: 'config',
        reportedAt: 1,
        policy: running,
      });
      expect((await view('run-1')).inForce).toEqual({
        basis: 'siteReport',
        version: 0,
        source: 'config',
        reportedAt: 1,
        policy: running,
      });
    });

    it('should be the version the site acknowledged while a newer push is pending', async () => {
      await put('run-2', 0, 40);
      await put('run-2', 1, 44);
      await h.local.repositories.policies.putApplied({
        tenantId: 'acme',
        siteId: 'run-2',
        version: 1,
        status: 'applied',
        source: 'cloud',
        reportedAt: 2,
      });
      expect((await view('run-2')).inForce).toMatchObject({
        basis: 'acknowledged',
        version: 1,
        source: 'cloud',
        policy: { budget: { max: 40 } },
      });
    });

    it("should be the site's report after a local edit on its dashboard, over the version it was based on", async () => {
      await put('run-3', 0, 40);
      await h.local.repositories.policies.putApplied({
        tenantId: 'acme',
        siteId: 'run-3',
        version: 1,
        status: 'applied',
        source: 'local',
        reportedAt: 3,
        policy: running,
      });
      expect((await view('run-3')).inForce).toMatchObject({
        basis: 'siteReport',
        version: 1,
        source: 'local',
        policy: { budget: { max: 30 } },
      });
    });

    it('should be unknown when the site never reported', async () => {
      await put('run-4', 0, 40);
      expect((await view('run-4')).inForce).toBeNull();
    });
  });

  it('should show the applied policy as reported by the site', async () => {
    await h.local.repositories.policies.putApplied({
      tenantId: 'acme',
      siteId: 'pol-1',
      version: 2,
      status: 'applied',
      reportedAt: 1,
    });
    expect(await json(await h.request('/sites/pol-1/policy', { tenant: 'acme' }))).toMatchObject({
      applied: { version: 2, status: 'applied' },
      inSync: true,
    });
  });

  it('should preview the allocation of a hypothetical car with the shared allocator', async () => {
    const response = await h.request('/sites/pol-1/policy/preview', {
      method: 'POST',
      tenant: 'acme',
      body: {
        policy: policyInput(20),
        request: { connector: 'CP-2/1', carPhases: 3 },
        connectors: [{ ref: 'CP-1/1', status: 'Charging', session: { id: 'a', startedAt: 0 } }],
      },
    });
    expect(response.status).toBe(200);
    const body = await json<{
      policySource: string;
      request: { ref: string; amps: number };
      allocation: { connectors: Array<{ ref: string; amps: number }> };
    }>(response);
    expect(body.policySource).toBe('body');
    expect(body.request.ref).toBe('CP-2/1');
    const total = body.allocation.connectors.reduce((sum, c) => sum + c.amps, 0);
    expect(total).toBeLessThanOrEqual(20);
    expect(body.request.amps).toBeGreaterThanOrEqual(6);

    const withDesired = await json<{ policySource: string; policyVersion: number }>(
      await h.request('/sites/pol-1/policy/preview', { method: 'POST', tenant: 'acme', body: {} }),
    );
    expect(withDesired).toMatchObject({ policySource: 'desired', policyVersion: 2 });

    const unknown = await h.request('/sites/pol-1/policy/preview', {
      method: 'POST',
      tenant: 'acme',
      body: { request: { connector: 'CP-7/1' } },
    });
    expect(unknown.status).toBe(400);
    expect((await json<{ details: Array<{ path: string }> }>(unknown)).details[0]?.path).toBe('request.connector');
  });

  it('should roll a policy out to a group of sites with a result per site', async () => {
    const response = await h.request('/policies/rollout', {
      method: 'POST',
      tenant: 'acme',
      body: { siteIds: ['pol-1', 'pol-3', 'missing'], policy: policyInput(70) },
    });
    expect(response.status).toBe(200);
    const body = await json<{
      summary: { updated: number; total: number };
      results: Array<{ siteId: string; status: string; version?: number }>;
    }>(response);
    expect(body.summary).toEqual({ updated: 2, total: 3 });
    expect(body.results).toEqual([
      expect.objectContaining({ siteId: 'pol-1', status: 'updated', version: 3 }),
      expect.objectContaining({ siteId: 'pol-3', status: 'updated', version: 1 }),
      { siteId: 'missing', status: 'notFound' },
    ]);
  });

  describe('a policy naming connectors the site lacks', () => {
    /** pol-5 has CP-1/1 and CP-2/1 and a gateway, so a saved policy would be pushed at once. */
    const naming = (vip: string[], level: string[]) => ({
      ...policyInput(40),
      distribution: 'priority',
      vip: { enabled: true, connectors: vip },
      priorityLevels: [{ level: 2, connectors: level }],
    });
    const refusal = [
      {
        path: 'vip.connectors[1]',
        message: 'connector "CP-9/1" is not part of this site',
        reason: 'policy.unknownConnector',
        params: { connector: 'CP-9/1' },
      },
      {
        path: 'priorityLevels[0].connectors[0]',
        message: 'connector "CP-2/2" is not part of this site',
        reason: 'policy.unknownConnector',
        params: { connector: 'CP-2/2' },
      },
    ];

    beforeAll(async () => {
      await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('pol-5') });
      await h.request('/sites', {
        method: 'POST',
        tenant: 'acme',
        body: siteInput('pol-6', { chargers: [{ id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 32 }] }),
      });
      expect((await h.request('/sites/pol-5/gateways', { method: 'POST', tenant: 'acme' })).status).toBe(201);
    });

    it('should refuse a PUT with 400 naming every bad path, saving and pushing nothing', async () => {
      const published = h.publisher.published.length;

      const response = await h.request('/sites/pol-5/policy', {
        method: 'PUT',
        tenant: 'acme',
        headers: { 'If-Match': '"0"' },
        body: naming(['CP-1/1', 'CP-9/1'], ['CP-2/2']),
      });

      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({
        error: 'policy.invalid',
        message: expect.stringContaining('site "pol-5"') as string,
        details: refusal,
      });
      expect((await h.request('/sites/pol-5/policy', { tenant: 'acme' })).headers.get('ETag')).toBe('"0"');
      expect(
        (await json<{ items: unknown[] }>(await h.request('/sites/pol-5/policy/history', { tenant: 'acme' }))).items,
      ).toEqual([]);
      expect(h.publisher.published).toHaveLength(published);
    });

    it("should save and push a policy naming only the site's connectors", async () => {
      const response = await h.request('/sites/pol-5/policy', {
        method: 'PUT',
        tenant: 'acme',
        headers: { 'If-Match': '"0"' },
        body: naming(['CP-1/1'], ['CP-2/1']),
      });

      expect(response.status).toBe(200);
      expect((await json<PutResult>(response)).push.status).toBe('sent');
      expect(h.publisher.published.at(-1)).toMatchObject({ siteId: 'pol-5', version: 1 });
    });

    it('should roll out only to the sites the policy fits, reporting the others as invalid with the bad paths', async () => {
      const response = await h.request('/policies/rollout', {
        method: 'POST',
        tenant: 'acme',
        body: { siteIds: ['pol-5', 'pol-6'], policy: naming(['CP-1/1'], ['CP-2/1']) },
      });

      expect(response.status).toBe(200);
      expect(await json(response)).toMatchObject({
        summary: { updated: 1, total: 2 },
        results: [
          { siteId: 'pol-5', status: 'updated', version: 2 },
          {
            siteId: 'pol-6',
            status: 'invalid',
            details: [
              { path: 'priorityLevels[0].connectors[0]', message: 'connector "CP-2/1" is not part of this site' },
            ],
          },
        ],
      });
      expect((await h.request('/sites/pol-6/policy', { tenant: 'acme' })).headers.get('ETag')).toBe('"0"');
    });

    it('should refuse to preview an edited policy the site would refuse', async () => {
      const response = await h.request('/sites/pol-5/policy/preview', {
        method: 'POST',
        tenant: 'acme',
        body: { policy: naming(['CP-1/1', 'CP-9/1'], ['CP-2/2']) },
      });

      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({
        error: 'policy.invalid',
        details: refusal.map((issue) => ({ ...issue, path: `policy.${issue.path}` })),
      });
    });
  });

  describe('a policy too large to push', () => {
    /** A valid policy whose VIP list makes it `tags` × 23 bytes larger in the shadow. */
    const vipPolicy = (tags: number) => ({
      ...policyInput(40),
      vip: {
        enabled: true,
        idTags: Array.from({ length: tags }, (_, k) => `VIP-${String(k).padStart(16, '0')}`),
        connectors: [],
      },
    });
    const bytesAt = (version: number, tags: number) =>
      desiredStateBytes({ version, policy: PolicySchema.parse(vipPolicy(tags)) });
    /** The most VIP tags whose policy still fits the shadow at `version`, by the same computation the push uses. */
    const mostTagsThatFit = (version: number) => {
      let tags = 0;
      while (bytesAt(version, tags + 1) <= MAX_DESIRED_BYTES) tags += 1;
      return tags;
    };
    const expectRefusal = async (response: Response) => {
      expect(response.status).toBe(413);
      const body = await json<{ error: string; message: string; details: Array<{ path: string; message: string }> }>(
        response,
      );
      expect(body.error).toBe('policy.tooLarge');
      expect(body.message).toContain(`AWS IoT allows ${MAX_DESIRED_BYTES} (8 KiB)`);
      expect(body.details).toEqual([
        {
          path: 'policy',
          message: expect.stringMatching(new RegExp(`^\\d+ bytes .*at most ${MAX_DESIRED_BYTES}$`)) as string,
        },
      ]);
    };

    beforeAll(async () => {
      await h.request('/sites', { method: 'POST', tenant: 'acme', body: siteInput('pol-4') });
    });

    it('should refuse a PUT whose shadow desired state would exceed 8 KiB with 413, saving and pushing nothing', async () => {
      const published = h.publisher.published.length;
      const tooLarge = await h.request('/sites/pol-4/policy', {
        method: 'PUT',
        tenant: 'acme',
        headers: { 'If-Match': '"0"' },
        body: vipPolicy(mostTagsThatFit(1) + 1),
      });

      await expectRefusal(tooLarge);
      const view = await h.request('/sites/pol-4/policy', { tenant: 'acme' });
      expect(view.headers.get('ETag')).toBe('"0"');
      expect(h.publisher.published).toHaveLength(published);
    });

    it('should accept the largest policy that still fits', async () => {
      const fits = await h.request('/sites/pol-4/policy', {
        method: 'PUT',
        tenant: 'acme',
        headers: { 'If-Match': '"0"' },
        body: vipPolicy(mostTagsThatFit(1)),
      });

      expect(fits.status).toBe(200);
      expect(bytesAt(1, mostTagsThatFit(1))).toBeLessThanOrEqual(MAX_DESIRED_BYTES);
    });

    it('should refuse a rollout of a policy too large to push before writing any site', async () => {
      const tooLarge = await h.request('/policies/rollout', {
        method: 'POST',
        tenant: 'acme',
        body: { siteIds: ['pol-3', 'pol-4'], policy: vipPolicy(mostTagsThatFit(1) + 1) },
      });

      await expectRefusal(tooLarge);
      const versions = await Promise.all(
        ['pol-3', 'pol-4'].map(async (id) =>
          (await h.request(`/sites/${id}/policy`, { tenant: 'acme' })).headers.get('ETag'),
        ),
      );
      expect(versions).toEqual(['"1"', '"1"']);
    });
  });
});
