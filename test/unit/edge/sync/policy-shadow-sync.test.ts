import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
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
    const sink: PolicySink = { apply: () => ((applied += 1), { ok: true }) };
    new PolicyShadowSync({ transport, sink, store: new PolicySyncStore(new SyncMeta(db)), thingName: 'gw-1', clock, log: quiet, events: outbox }).start();
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  const delta = (state: unknown) => JSON.stringify({ state, version: 7 });
  const rejectedEvents = () => outbox.read('events', 0, 100).map((r) => (JSON.parse(r.message) as { body: { kind: string; message: string } }).body).filter((b) => b.kind === 'policy.rejected');

  it('should ignore and report a shadow message addressed to another thing', () => {
    transport.deliver('$aws/things/gw-2/shadow/name/policy/update/delta', delta(desiredPolicyState(5, policy)));
    expect(applied).toBe(0);
    expect(rejectedEvents()[0]?.message).toMatch(/another thing "gw-2"/);
  });

  it('should refuse an oversized message without parsing it', () => {
    transport.deliver(`${base}/update/delta`, Buffer.alloc(MAX_MESSAGE_BYTES + 1, 32));
    expect(applied).toBe(0);
    expect(rejectedEvents()[0]?.message).toMatch(/exceeds/);
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
    const report = JSON.parse(transport.published.find((p) => p.topic === `${base}/update`)!.payload) as { state: { reported: { status: string; errors: { path: string }[] } } };
    expect(report.state.reported.status).toBe('rejected');
    expect(report.state.reported.errors.map((e) => e.path)).toContain('policy.budget');
  });
});
