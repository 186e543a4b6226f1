import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicySchema, type Policy } from '../../../../shared/policy/policy-schema';
import { MAX_MESSAGE_BYTES, desiredPolicyState } from '../../../../shared/sync/sync-messages';
import { Outbox } from '../../../../edge/sync/outbox';
import { SyncMeta, openOutboxDatabase, type OutboxDatabase } from '../../../../edge/sync/outbox-database';
import { PolicyShadowSync } from '../../../../edge/sync/policy-shadow-sync';
import { PolicySyncStore, decideDesired } from '../../../../edge/sync/policy-sync-state';
import type { PolicySink } from '../../../../edge/sync/sync-ports';
import { FakeTransport } from './fake-transport';
import { tempDir } from './sync-builders';

const policy = PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 100 } });
const clock = { now: () => 1_700_000_000_000, after: () => () => {} };
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('decideDesired', () => {
  it.each([
    [{ version: 0, source: 'config' as const }, 1, 'apply'],
    [{ version: 3, source: 'cloud' as const }, 3, 'keep'],
    [{ version: 3, source: 'cloud' as const }, 2, 'keep'],
    [{ version: 3, source: 'local' as const }, 3, 'keep'],
    [{ version: 3, source: 'local' as const }, 4, 'apply'],
  ])('should decide for %o and cloud version %i: %s', (inForce, version, expected) => {
    expect(decideDesired(inForce, version)).toBe(expected);
  });
});

describe('PolicyShadowSync with bad input', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: OutboxDatabase;
  let transport: FakeTransport;
  let outbox: Outbox;
  let applied: number;
  const base = '$aws/things/gw-1/shadow/name/policy';

  beforeEach(() => {
    tmp = tempDir();
    db = openOutboxDatabase(tmp.dir);
    transport = new FakeTransport();
    outbox = new Outbox(db, { siteId: 's-1', maxBytes: 1024 ** 2, now: clock.now });
    applied = 0;
    const sink: PolicySink = {
      apply: () => ((applied += 1), { ok: true }),
      inForce: () => policy,
      origin: () => ({ version: 0, source: 'config' }),
    };
    new PolicyShadowSync({
      transport,
      sink,
      store: new PolicySyncStore(new SyncMeta(db)),
      thingName: 'gw-1',
      clock,
      log: quiet,
      events: outbox,
    }).start();
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  const delta = (state: unknown) => JSON.stringify({ state, version: 7 });
  const rejectedEvents = () =>
    outbox
      .read('events', 0, 100)
      .map((r) => (JSON.parse(r.message) as { body: { kind: string; message: string; reason?: string } }).body)
      .filter((b) => b.kind === 'policy.rejected');

  it('should ignore and report a shadow message addressed to another thing', () => {
    transport.deliver('$aws/things/gw-2/shadow/name/policy/update/delta', delta(desiredPolicyState(5, policy)));
    expect(applied).toBe(0);
    expect(rejectedEvents()[0]?.message).toMatch(/another thing "gw-2"/);
    expect(rejectedEvents()[0]).toMatchObject({ reason: 'siteEvent.shadowOtherThing', params: { thing: 'gw-2' } });
  });

  it('should refuse an oversized message without parsing it', () => {
    transport.deliver(`${base}/update/delta`, Buffer.alloc(MAX_MESSAGE_BYTES + 1, 32));
    expect(applied).toBe(0);
    expect(rejectedEvents()[0]?.message).toMatch(/exceeds/);
    expect(rejectedEvents()[0]?.reason).toBe('siteEvent.shadowTooLarge');
  });

  it.each([
    ['not JSON', '{"state":'],
    ['a document without state', '{"version": 3}'],
  ])('should refuse a get document that is %s and keep the policy', (_what, payload) => {
    transport.deliver(`${base}/get/accepted`, payload);
    expect(applied).toBe(0);
    expect(rejectedEvents()).toHaveLength(1);
  });

  it('should fetch the whole document for a partial delta instead of refusing it', () => {
    transport.deliver(`${base}/update/delta`, delta({ policy: JSON.stringify(policy) }));
    expect(applied).toBe(0);
    expect(transport.published.map((p) => p.topic)).toContain(`${base}/get`);
    expect(rejectedEvents()).toHaveLength(0);
  });

  it('should report one refusal per desired document, not one per delivery', () => {
    const bad = delta({ version: 4, policy: '{}' });
    transport.deliver(`${base}/update/delta`, bad);
    const token = (JSON.parse(transport.published.at(-1)!.payload) as { clientToken: string }).clientToken;
    transport.deliver(`${base}/update/accepted`, JSON.stringify({ clientToken: token }));
    transport.deliver(`${base}/update/delta`, bad);
    expect(transport.published.filter((p) => p.topic === `${base}/update`)).toHaveLength(1);
    expect(rejectedEvents()).toHaveLength(1);
    const report = JSON.parse(transport.published.find((p) => p.topic === `${base}/update`)!.payload) as {
      state: { reported: { status: string; errors: { path: string }[] } };
    };
    expect(report.state.reported.status).toBe('rejected');
    expect(report.state.reported.errors.map((e) => e.path)).toContain('policy.budget');
  });
});

describe('PolicyShadowSync reporting the policy in force', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: OutboxDatabase;
  let transport: FakeTransport;
  const base = '$aws/things/gw-1/shadow/name/policy';
  /** What the site runs from its configuration file: 30 kW dynamic, closed loop, a VIP tag. */
  const running = PolicySchema.parse({
    $schemaVersion: 1,
    budget: { unit: 'kW', min: 0, max: 30 },
    control: { mode: 'dynamic' },
    closedLoop: { enabled: true },
    vip: { enabled: true, idTags: ['VIP-1'] },
  });
  let inForce: Policy = running;

  beforeEach(() => {
    tmp = tempDir();
    db = openOutboxDatabase(tmp.dir);
    transport = new FakeTransport();
    inForce = running;
    let origin: ReturnType<PolicySink['origin']> = { version: 0, source: 'config' };
    const sink: PolicySink = {
      apply: (p, meta) => ((inForce = p), (origin = meta), { ok: true }),
      inForce: () => inForce,
      origin: () => origin,
    };
    new PolicyShadowSync({
      transport,
      sink,
      store: new PolicySyncStore(new SyncMeta(db)),
      thingName: 'gw-1',
      clock,
      log: quiet,
    }).start();
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  const reports = () =>
    transport.published
      .filter((p) => p.topic === `${base}/update`)
      .map((p) => (JSON.parse(p.payload) as { state: { reported: Record<string, unknown> } }).state.reported);

  it('should report the configured policy, as JSON, when the cloud never pushed one (no shadow yet)', () => {
    transport.deliver(`${base}/get/rejected`, JSON.stringify({ code: 404, message: 'No shadow exists' }));

    expect(reports()).toHaveLength(1);
    expect(reports()[0]).toMatchObject({ version: 0, status: 'applied', source: 'config' });
    expect(PolicySchema.parse(JSON.parse(reports()[0]!.policy as string))).toEqual(running);
  });

  it('should report the policy again when the shadow does not hold the one in force', () => {
    const reported = {
      version: 0,
      status: 'applied',
      source: 'config',
      appliedAt: 1,
      policy: JSON.stringify(PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 32 } })),
    };
    transport.deliver(`${base}/get/accepted`, JSON.stringify({ state: { reported }, version: 3 }));
    expect(reports().at(-1)?.policy).toBe(JSON.stringify(running));
  });

  it('should report the cloud policy it applied with its text', () => {
    transport.deliver(`${base}/update/delta`, JSON.stringify({ state: desiredPolicyState(4, policy), version: 5 }));
    expect(reports().at(-1)).toMatchObject({
      version: 4,
      status: 'applied',
      source: 'cloud',
      policy: JSON.stringify(policy),
    });
  });
});

describe('PolicyShadowSync and the policy-in-force record', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: OutboxDatabase;
  let origin: ReturnType<PolicySink['origin']>;
  let applied: { policy: Policy; meta: unknown }[];
  const sink: PolicySink = {
    apply: (p, meta) => (applied.push({ policy: p, meta }), (origin = meta), { ok: true }),
    inForce: () => policy,
    origin: () => origin,
  };
  const start = () =>
    new PolicyShadowSync({
      transport: new FakeTransport(),
      sink,
      store: new PolicySyncStore(new SyncMeta(db)),
      thingName: 'gw-1',
      clock,
      log: quiet,
    });

  beforeEach(() => {
    tmp = tempDir();
    db = openOutboxDatabase(tmp.dir);
    applied = [];
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('should take the version and source in force from the record', () => {
    origin = { version: 2, source: 'local' };
    const sync = start();
    expect(sync.status.inForce).toEqual({ version: 2, source: 'local' });
    expect(decideDesired(sync.status.inForce, 2)).toBe('keep');
  });

  it.each([
    ['a cloud version', { version: 9, source: 'cloud' as const }, [{ policy, meta: { version: 9, source: 'cloud' } }]],
    ['the site file', { version: 0, source: 'config' as const }, []],
  ])('should give the record %s a state stored before it held once, and drop the copy', (_what, legacy, expected) => {
    origin = { version: 0, source: 'config' };
    new SyncMeta(db).set('policySync', JSON.stringify({ inForce: legacy, reported: true, lastRejected: '{}' }));

    const sync = start();
    start();

    expect(applied).toEqual(expected);
    expect(sync.status).toEqual({
      inForce: { version: legacy.version, source: legacy.source },
      reported: true,
      lastRejected: '{}',
      deltasHandled: 0,
    });
    expect(JSON.parse(new SyncMeta(db).get('policySync')!)).toEqual({ reported: true, lastRejected: '{}' });
  });
});
