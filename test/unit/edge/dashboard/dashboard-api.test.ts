import { hostInterfaces } from '../../../../edge/cluster/host-addresses';
import type { NetworkAnswer } from '../../../../shared/dashboard/network-answer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../../../edge/security/password-hash';
import { ADMIN_PASSWORD, POLICY, startHarness, type Harness } from './dashboard-harness';

const json = async (response: Response) => (await response.json()) as Record<string, unknown>;
const detailPaths = async (response: Response) =>
  ((await json(response)).details as { path: string }[]).map((d) => d.path);

describe('dashboard API: sign-in and sessions', () => {
  let h: Harness;
  beforeEach(() => (h = startHarness()));
  afterEach(() => h.close());

  it('should ask for setup while there is no password, and accept the setup token only once', async () => {
    expect(await json(await h.call('GET', '/api/session'))).toMatchObject({ state: 'setup', csrfToken: null });
    const token = h.services.account.issueSetupToken()!;

    const wrong = await h.call('POST', '/api/setup', { body: { token: 'guessed', password: ADMIN_PASSWORD } });
    expect(wrong.status).toBe(403);
    const ok = await h.call('POST', '/api/setup', { body: { token, password: ADMIN_PASSWORD } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Set-Cookie')).toMatch(/^ampshare_dashboard=[^;]+;.*HttpOnly.*SameSite=Strict/);
    const again = await h.call('POST', '/api/setup', { body: { token, password: 'another long password' } });
    expect(again.status).toBe(403);
    expect(await json(await h.call('GET', '/api/session'))).toMatchObject({ state: 'signedOut' });
  });

  it('should answer 401 without a session, with a wrong password, and once the session idled out', async () => {
    expect((await h.call('GET', '/api/chargers')).status).toBe(401);
    const { cookie } = await h.signIn();

    const refused = await h.call('POST', '/api/login', { body: { username: 'admin', password: 'not the password' } });
    expect(refused.status).toBe(401);
    expect(await json(refused)).toEqual({
      error: 'auth.unauthenticated',
      message: 'wrong user name or password',
      details: [],
      reason: 'signIn.wrongCredentials',
    });
    expect((await h.call('POST', '/api/login', { body: { username: 'root', password: ADMIN_PASSWORD } })).status).toBe(
      401,
    );
    expect(h.logs.some((l) => l.level === 'warn' && (l.data.audit as { action: string }).action === 'sign-in')).toBe(
      true,
    );

    expect((await h.call('GET', '/api/chargers', { cookie })).status).toBe(200);
    h.clock.advance(29 * 60_000);
    expect((await h.call('GET', '/api/chargers', { cookie })).status).toBe(200);
    h.clock.advance(31 * 60_000);
    const expired = await h.call('GET', '/api/chargers', { cookie });
    expect(expired.status).toBe(401);
    expect((await json(expired)).error).toBe('auth.unauthenticated');
  });

  it('should end a session at its maximum age even while it is used', async () => {
    const { cookie } = await h.signIn();
    for (let i = 0; i < 12 * 3; i++) {
      h.clock.advance(20 * 60_000);
      expect((await h.call('GET', '/api/cluster', { cookie })).status).toBe(200);
    }
    h.clock.advance(60_000);
    expect((await h.call('GET', '/api/cluster', { cookie })).status).toBe(401);
  });

  it('should refuse a write without the CSRF token or from another origin', async () => {
    const { cookie, csrf } = await h.signIn();
    const noToken = await h.call('PUT', '/api/policy', { cookie, body: POLICY });
    expect(noToken.status).toBe(403);
    expect((await json(noToken)).error).toBe('auth.forbidden');
    expect((await h.call('PUT', '/api/policy', { cookie, csrf: 'forged', body: POLICY })).status).toBe(403);
    expect(
      (await h.call('PUT', '/api/policy', { cookie, csrf, body: POLICY, origin: 'http://evil.example' })).status,
    ).toBe(403);
    expect(
      (
        await h.call('POST', '/api/login', {
          body: { username: 'admin', password: ADMIN_PASSWORD },
          origin: 'http://evil.example',
        })
      ).status,
    ).toBe(403);
    expect((await h.call('PUT', '/api/policy', { cookie, csrf, body: POLICY })).status).toBe(200);
  });

  it('should sign out, and end every session when the admin password changes', async () => {
    const first = await h.signIn();
    const second = await json(
      await h.call('POST', '/api/login', { body: { username: 'admin', password: ADMIN_PASSWORD } }),
    );
    expect(second.state).toBe('signedIn');
    const change = await h.call('PUT', '/api/account/password', {
      ...first,
      body: { currentPassword: 'wrong', newPassword: 'a brand new password' },
    });
    expect(change.status).toBe(403);
    expect(await json(change)).toMatchObject({
      reason: 'account.currentPasswordWrong',
      details: [{ path: 'currentPassword', reason: 'account.wrongPassword' }],
    });
    expect(
      (
        await h.call('PUT', '/api/account/password', {
          ...first,
          body: { currentPassword: ADMIN_PASSWORD, newPassword: 'a brand new password' },
        })
      ).status,
    ).toBe(200);
    expect((await h.call('GET', '/api/cluster', { cookie: first.cookie })).status).toBe(401);
    expect(
      (await h.call('POST', '/api/login', { body: { username: 'admin', password: 'a brand new password' } })).status,
    ).toBe(200);
  });
});

describe('dashboard API: validation and changes', () => {
  let h: Harness;
  let session: { cookie: string; csrf: string };
  beforeEach(async () => {
    h = startHarness();
    session = await h.signIn();
  });
  afterEach(() => h.close());

  it('should list every bad policy field by path and keep the policy in force', async () => {
    const response = await h.call('PUT', '/api/policy', {
      ...session,
      body: { ...POLICY, budget: { unit: 'A', min: 10, max: -1 }, failSafe: { connectorAmps: 3 } },
    });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.error).toBe('policy.invalid');
    expect(await Promise.resolve((body.details as { path: string }[]).map((d) => d.path))).toEqual(
      expect.arrayContaining(['budget.max', 'failSafe.connectorAmps']),
    );
    expect(h.control.applied).toEqual([]);
  });

  it('should refuse a body that is not JSON, and a policy naming a connector the site lacks', async () => {
    const notJson = await h.call('PUT', '/api/policy', { ...session, rawBody: '{"budget":' });
    expect(notJson.status).toBe(400);
    expect(await json(notJson)).toEqual({
      error: 'message.invalid',
      message: 'the body is not valid JSON',
      details: [{ path: '(root)', message: 'not valid JSON' }],
    });
    const unknown = await h.call('PUT', '/api/policy', {
      ...session,
      body: { ...POLICY, vip: { enabled: true, connectors: ['CP-9/1'] } },
    });
    expect(unknown.status).toBe(400);
    expect(await detailPaths(unknown)).toEqual(['vip.connectors[0]']);
  });

  it('should put a saved policy in force at once and audit who changed what', async () => {
    const response = await h.call('PUT', '/api/policy', { ...session, body: { ...POLICY, distribution: 'priority' } });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      source: 'local',
      cloudLinked: false,
      policy: { distribution: 'priority' },
    });
    expect(h.control.applied.map((p) => p.distribution)).toEqual(['priority']);
    const audit = h.logs.find((l) => (l.data.audit as { action?: string } | undefined)?.action === 'policy.update');
    expect(audit?.data.audit).toMatchObject({
      user: 'admin',
      after: { distribution: 'priority' },
      before: { distribution: 'equal' },
    });
  });

  it('should refuse a test request naming no connector as such (a form sent before it had connectors)', async () => {
    // Act
    const empty = await h.call('POST', '/api/allocations/preview', {
      ...session,
      body: { connector: '', phases: 3, maxAmps: 16 },
    });

    // Assert: before, the empty connector was refused as a malformed reference ("expected <chargerId>/<connectorId>")
    expect(empty.status).toBe(400);
    expect((await json(empty)).details).toEqual([
      {
        path: 'connector',
        message: 'choose the free connector the test car would plug into',
        reason: 'testRequest.noConnector',
      },
    ]);
  });

  it('should validate a test request and preview it on a copy without changing the allocation in force', async () => {
    const bad = await h.call('POST', '/api/allocations/preview', {
      ...session,
      body: { connector: 'CP-1', phases: 4, maxAmps: 3 },
    });
    expect(bad.status).toBe(400);
    expect(await detailPaths(bad)).toEqual(['connector', 'phases', 'maxAmps']);
    const unknown = await h.call('POST', '/api/allocations/preview', {
      ...session,
      body: { connector: 'CP-9/1', phases: 3, maxAmps: 16 },
    });
    expect(await json(unknown)).toMatchObject({
      reason: 'testRequest.unknownConnector',
      details: [{ path: 'connector', reason: 'testRequest.unknownConnector', params: { connector: 'CP-9/1' } }],
    });

    const before = h.control.allocation;
    const response = await h.call('POST', '/api/allocations/preview', {
      ...session,
      body: { connector: 'CP-2/1', phases: 1, maxAmps: 16, vip: true },
    });
    expect(response.status).toBe(200);
    const preview = (await json(response)) as {
      requestRef: string;
      rows: { ref: string; allocatedAmps: number; phaseAmps: number[]; vip: boolean; reason: string }[];
    };
    const row = preview.rows.find((r) => r.ref === preview.requestRef)!;
    expect(row).toMatchObject({ ref: 'CP-2/1', allocatedAmps: 16, phaseAmps: [16, 0, 0], vip: true, reason: 'vip' });
    expect(h.control.allocation).toBe(before);
    expect(h.commands).toEqual([]);
  });

  it('should answer 404 for a charger the site does not have and 400 for an id that cannot be one', async () => {
    expect((await h.call('PUT', '/api/chargers/CP-9/enabled', { ...session, body: { enabled: false } })).status).toBe(
      404,
    );
    const bad = await h.call('PUT', '/api/chargers/CP%201/enabled', { ...session, body: { enabled: false } });
    expect(bad.status).toBe(400);
    expect(await detailPaths(bad)).toEqual(['id']);
  });

  it('should switch a charger off, store it and tell the charger', async () => {
    const response = await h.call('PUT', '/api/chargers/CP-1/enabled', { ...session, body: { enabled: false } });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      outcome: 'accepted',
      charger: { id: 'CP-1', enabled: false },
      message: 'the charger accepted being switched off',
      reasons: [{ reason: 'charger.accepted', params: { what: { ref: 'chargerAction.switchOff' } } }],
    });
    expect(h.registry.record('CP-1').enabled).toBe(false);
    expect(h.commands).toEqual([
      { chargerId: 'CP-1', name: 'ChangeAvailability', request: { connectorId: 0, type: 'Inoperative' } },
    ]);
  });

  it('should store a new charger password as a hash the central system checks, and send it to the charger', async () => {
    const short = await h.call('PUT', '/api/chargers/CP-1/password', {
      ...session,
      body: { mode: 'set', password: 'short' },
    });
    expect(short.status).toBe(400);
    expect(await json(short)).toMatchObject({
      details: [{ path: 'password', reason: 'field.minLength', params: { minimum: 16 } }],
    });

    const password = 'a-new-charger-password';
    expect(
      (await h.call('PUT', '/api/chargers/CP-1/password', { ...session, body: { mode: 'set', password } })).status,
    ).toBe(200);
    expect(await h.registry.verify('CP-1', Buffer.from(password))).toBe('valid');
    expect(h.commands.at(-1)).toEqual({
      chargerId: 'CP-1',
      name: 'ChangeConfiguration',
      request: { key: 'AuthorizationKey', value: password },
    });
    expect(JSON.stringify(h.logs)).not.toContain(password);

    const generated = (await json(
      await h.call('PUT', '/api/chargers/CP-2/password', { ...session, body: { mode: 'generate' } }),
    )) as { generatedPassword: string };
    expect(generated.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(
      await verifyPassword(Buffer.from(generated.generatedPassword), h.registry.dashboardPassword('CP-2')!.hash),
    ).toBe(true);
  });

  it('should make a charger VIP through the policy', async () => {
    const response = await h.call('PUT', '/api/chargers/CP-2/vip', { ...session, body: { vip: true } });
    expect(response.status).toBe(200);
    expect(h.control.policy.vip.connectors).toEqual(['CP-2/1']);
    expect(await json(response)).toMatchObject({ charger: { vip: { site: false, policy: true } } });
  });

  it('should say which connectors were adopted, keep VIP to listed connectors and list the adoption in the events', async () => {
    // Arrange: CP-2 reported a connector 2 the site file does not list
    h.runtime.adopt('CP-2', 2);
    h.feed.onControlEvent({ type: 'connectorAdopted', at: h.clock.now(), ref: 'CP-2/2', cause: 'status' });
    h.feed.onControlEvent({
      type: 'connectorRefused',
      at: h.clock.now(),
      ref: 'CP-2/12',
      reason: { reason: 'event.adoptionRefused.tooMany', params: { connectorId: 12, max: 10 } },
      transactionId: 4,
    });

    // Act
    const devices = (await json(await h.call('GET', '/api/chargers', session))) as {
      chargers: { id: string; connectors: { ref: string; adopted: boolean }[] }[];
    };
    const vip = await h.call('PUT', '/api/chargers/CP-2/vip', { ...session, body: { vip: true } });
    const monitoring = (await json(await h.call('GET', '/api/monitoring?range=hour', session))) as {
      events: { source: string; severity: string; message: string }[];
    };

    // Assert
    expect(devices.chargers.find((c) => c.id === 'CP-2')!.connectors.map((k) => [k.ref, k.adopted])).toEqual([
      ['CP-2/1', false],
      ['CP-2/2', true],
    ]);
    expect(vip.status).toBe(200);
    expect(h.control.policy.vip.connectors).toEqual(['CP-2/1']);
    expect(monitoring.events).toEqual(
      expect.arrayContaining([
        {
          at: h.clock.now(),
          source: 'CP-2/2',
          severity: 'warning',
          message:
            "not in the site file: adopted under its charger's circuit and maximum (the charger reported it); list it in the site file to make this permanent",
          reason: 'event.connectorAdopted',
          params: { cause: { ref: 'event.adoptionCause.status' } },
        },
        {
          at: h.clock.now(),
          source: 'CP-2/12',
          severity: 'error',
          message:
            'transaction 4 refused (answered Invalid): connector 12 would exceed the 10 connectors a charger may have',
          reason: 'event.transactionRefused',
          params: {
            transactionId: '4',
            reason: { ref: 'event.adoptionRefused.tooMany', params: { connectorId: 12, max: 10 } },
          },
        },
      ]),
    );
  });

  it('should show this agent as a single node without a cluster, and the monitoring data', async () => {
    expect(await json(await h.call('GET', '/api/cluster', session))).toEqual({
      siteId: 'unit-site',
      siteName: null,
      monitoringState: 'idle',
      node: { mode: 'single' },
    });
    const bad = await h.call('GET', '/api/monitoring?range=week', session);
    expect(bad.status).toBe(400);
    expect(await detailPaths(bad)).toEqual(['range']);
    expect(await json(await h.call('GET', '/api/monitoring?range=day', session))).toMatchObject({
      range: 'day',
      meters: [],
      cloud: { linked: false },
      // No upstream CSMS: no link history
      csmsLink: null,
    });
  });

  it("should answer this gateway's addresses and no cluster on the Network route of a single agent", async () => {
    const answer = (await json(await h.call('GET', '/api/network', session))) as NetworkAnswer;
    expect(answer).toEqual({ interfaces: hostInterfaces(), cluster: null });
    expect(answer.interfaces.map((i) => i.address)).not.toContain('127.0.0.1');
  });

  it('should refuse an election change on an agent without a cluster, and a body that is not an election', async () => {
    const refused = await h.call('PUT', '/api/cluster/election', {
      ...session,
      body: { electionType: 'static', staticOrder: ['gw-a'], version: '0' },
    });
    expect(refused.status).toBe(409);
    expect(await json(refused)).toMatchObject({ reason: 'cluster.noCluster' });
    const bad = await h.call('PUT', '/api/cluster/election', {
      ...session,
      body: { electionType: 'random', version: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(await detailPaths(bad)).toEqual(['electionType', 'staticOrder', 'version']);
  });
});
