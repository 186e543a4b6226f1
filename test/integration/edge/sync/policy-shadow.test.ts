import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicySchema, type Policy, type PolicyInput } from '../../../../shared/policy/policy-schema';
import { desiredPolicyState } from '../../../../shared/sync/sync-messages';
import { MqttLink } from '../../../../edge/sync/mqtt-link';
import { Outbox } from '../../../../edge/sync/outbox';
import { SyncMeta, openOutboxDatabase } from '../../../../edge/sync/outbox-database';
import { PolicyShadowSync } from '../../../../edge/sync/policy-shadow-sync';
import { PolicySyncStore } from '../../../../edge/sync/policy-sync-state';
import { tempDir } from '../../../unit/edge/sync/sync-builders';
import { RecordingPolicySink } from './support/recording-policy-sink';
import { linkState, quietLog, wallClock, when } from './support/sync-harness';
import { TestBroker } from './support/test-broker';
import { TestShadowService } from './support/test-shadow-service';

const THING = 'gw-site-1';
const policy = (amps: number, extra: Partial<PolicyInput> = {}): Policy =>
  PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: amps }, ...extra });

function startAgent(dir: string, url: string, sink: RecordingPolicySink) {
  const db = openOutboxDatabase(dir);
  const outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 1024 ** 2, now: wallClock.now });
  const link = new MqttLink({
    url,
    options: { clientId: THING, protocolVersion: 4, clean: false },
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    clock: wallClock,
    log: quietLog,
  });
  const sync = new PolicyShadowSync({
    transport: link,
    sink,
    store: new PolicySyncStore(new SyncMeta(db)),
    thingName: THING,
    clock: wallClock,
    log: quietLog,
    events: outbox,
  });
  sync.start();
  link.start();
  return {
    link,
    sync,
    outbox,
    async stop() {
      sync.stop();
      await link.stop();
      db.close();
    },
  };
}

describe('policy through the named shadow (aedes)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let broker: TestBroker;
  let shadow: TestShadowService;
  let sink: RecordingPolicySink;
  let agent: ReturnType<typeof startAgent>;

  const writeDesired = (desired: unknown) => shadow.update(THING, 'policy', { state: { desired } });
  const reported = () => shadow.document(THING, 'policy')?.reported;
  const untilReported = (check: (r: Record<string, unknown>) => boolean, what: string) =>
    when(
      (l) => shadow.onUpdate(l),
      () => {
        const r = reported();
        return r !== undefined && check(r);
      },
      10_000,
      what,
    );

  beforeEach(async () => {
    tmp = tempDir();
    broker = await TestBroker.start();
    shadow = new TestShadowService(broker.aedes);
    sink = new RecordingPolicySink(500);
    agent = startAgent(tmp.dir, broker.url, sink);
    await linkState(agent.link, true);
  });
  afterEach(async () => {
    await agent.stop();
    await broker.close();
    tmp.remove();
  });

  it('should apply a delta at once and report the applied version', async () => {
    writeDesired(desiredPolicyState(1, policy(100)));
    await untilReported((r) => r.version === 1 && r.status === 'applied', 'version 1 reported');
    expect(sink.current).toMatchObject({ policy: { budget: { max: 100 } }, meta: { version: 1, source: 'cloud' } });
    expect(reported()).toMatchObject({
      version: 1,
      status: 'applied',
      source: 'cloud',
      appliedAt: expect.any(Number) as unknown,
    });
    expect(agent.outbox.stats().byStream.events).toBe(1);
  });

  it.each([
    [
      'fails the policy schema',
      desiredPolicyState(2, { ...policy(100), budget: { unit: 'A', min: 0, max: -5 } }),
      'policy.budget.max',
    ],
    ['is not JSON', { version: 2, policy: '{"$schemaVersion": 1,' }, 'policy'],
    ['the site refuses', desiredPolicyState(2, policy(900)), 'budget.max'],
  ])(
    'should refuse a desired policy that %s with its paths and keep the last good one',
    async (_what, desired, path) => {
      writeDesired(desiredPolicyState(1, policy(100)));
      await untilReported((r) => r.version === 1, 'version 1 reported');
      writeDesired(desired);
      await untilReported((r) => r.status === 'rejected', 'rejection reported');
      expect(reported()).toMatchObject({ version: 2, status: 'rejected', source: 'cloud' });
      expect((reported()!.errors as { path: string }[]).map((e) => e.path)).toContain(path);
      expect(sink.current?.meta.version).toBe(1);
      expect(sink.applied).toHaveLength(1);
    },
  );

  it('should reconcile a change made while offline through /get after the reconnect', async () => {
    writeDesired(desiredPolicyState(1, policy(100)));
    await untilReported((r) => r.version === 1, 'version 1 reported');
    await broker.stop();
    await linkState(agent.link, false);
    writeDesired(desiredPolicyState(2, policy(200)));
    await broker.listen();
    await untilReported((r) => r.version === 2 && r.status === 'applied', 'version 2 reported');
    expect(sink.current).toMatchObject({ policy: { budget: { max: 200 } }, meta: { version: 2, source: 'cloud' } });
  });

  it('should apply a local edit offline at once, report it as local when back, and let a newer cloud version win', async () => {
    writeDesired(desiredPolicyState(1, policy(100)));
    await untilReported((r) => r.version === 1, 'version 1 reported');
    await broker.stop();
    await linkState(agent.link, false);
    expect(agent.sync.applyLocal(policy(150))).toEqual({ ok: true });
    expect(sink.current).toMatchObject({ policy: { budget: { max: 150 } }, meta: { version: 1, source: 'local' } });
    await broker.listen();
    await untilReported((r) => r.source === 'local', 'local edit reported');
    // The cloud's version 1 is the edit's base: the edit stays.
    expect(sink.current?.meta.source).toBe('local');
    expect(reported()).toMatchObject({ version: 1, status: 'applied', source: 'local' });
    writeDesired(desiredPolicyState(2, policy(250)));
    await untilReported((r) => r.version === 2 && r.source === 'cloud', 'cloud version 2 reported');
    expect(sink.current).toMatchObject({ policy: { budget: { max: 250 } }, meta: { version: 2, source: 'cloud' } });
  });

  it('should let a cloud version written during the outage win over an older local edit, after a restart too', async () => {
    writeDesired(desiredPolicyState(1, policy(100)));
    await untilReported((r) => r.version === 1, 'version 1 reported');
    await broker.stop();
    await linkState(agent.link, false);
    agent.sync.applyLocal(policy(150));
    writeDesired(desiredPolicyState(2, policy(300)));
    await agent.stop();
    agent = startAgent(tmp.dir, broker.url, sink);
    expect(agent.sync.status.inForce).toEqual({ version: 1, source: 'local' });
    await broker.listen();
    await untilReported((r) => r.version === 2 && r.source === 'cloud', 'cloud version 2 reported');
    expect(sink.current).toMatchObject({ policy: { budget: { max: 300 } }, meta: { version: 2, source: 'cloud' } });
  });
});
