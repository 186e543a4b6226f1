import { beforeEach, describe, expect, it } from 'vitest';
import { recordShadowReport } from '../../../../cloud/ingest/record-shadow-report';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { inMemoryIngest, type InMemoryIngest } from './in-memory-ports';

const THING = 'amp-site-a-1';
const applied = (version: number, extra: object = {}) => ({
  version,
  status: 'applied',
  source: 'cloud',
  appliedAt: 1_700_000_000_000 + version,
  ...extra,
});
const documents = (previous: unknown, reported: unknown) => ({
  previous:
    previous === undefined
      ? null
      : { state: { desired: { version: 3, policy: '{}' }, reported: previous }, version: 4 },
  current: {
    state: { desired: { version: 3, policy: '{}' }, ...(reported === undefined ? {} : { reported }) },
    version: 5,
  },
  timestamp: 1_700_000_000,
});

describe('recordShadowReport', () => {
  let fleet: InMemoryIngest;
  beforeEach(() => {
    fleet = inMemoryIngest();
    fleet.gateways.push({
      tenantId: 't1',
      siteId: 'site-a',
      thingName: THING,
      credentialId: THING,
      status: 'active',
      createdAt: 0,
    });
  });

  it('should record the version a site applied from an update/documents message', async () => {
    const result = await recordShadowReport(fleet.deps, {
      thingName: THING,
      document: documents(applied(2), applied(3)),
    });

    expect(result).toEqual({
      status: 'recorded',
      record: {
        tenantId: 't1',
        siteId: 'site-a',
        version: 3,
        status: 'applied',
        source: 'cloud',
        reportedAt: 1_700_000_000_003,
      },
    });
    expect(fleet.applied.get('t1#site-a')).toMatchObject({ version: 3, status: 'applied' });
  });

  it('should record a rejection with every error of the site', async () => {
    const reported = applied(3, {
      status: 'rejected',
      errors: [
        { path: 'policy.budget.max', message: 'too small' },
        { path: 'policy.mode', message: 'unknown' },
      ],
    });

    const result = await recordShadowReport(fleet.deps, { thingName: THING, document: documents(undefined, reported) });

    expect(result).toMatchObject({
      status: 'recorded',
      record: { version: 3, status: 'rejected', message: 'policy.budget.max: too small; policy.mode: unknown' },
    });
  });

  it('should read the reported state of an update/accepted message', async () => {
    const result = await recordShadowReport(fleet.deps, {
      thingName: THING,
      document: { state: { reported: applied(4) }, metadata: {}, version: 9, timestamp: 1 },
    });

    expect(result).toMatchObject({ status: 'recorded', record: { version: 4 } });
  });

  it.each([
    ['no reported state (a desired-only update)', documents(undefined, undefined), /no reported state/],
    ['an unchanged reported state', documents(applied(3), applied(3)), /did not change/],
  ])('should ignore %s', async (_name, document, reason) => {
    const result = await recordShadowReport(fleet.deps, { thingName: THING, document });

    expect(result).toMatchObject({ status: 'ignored', reason: expect.stringMatching(reason) as unknown });
    expect(fleet.applied.size).toBe(0);
  });

  it('should ignore a late report about an older cloud version', async () => {
    await recordShadowReport(fleet.deps, { thingName: THING, document: documents(undefined, applied(5)) });

    const late = await recordShadowReport(fleet.deps, { thingName: THING, document: documents(undefined, applied(4)) });

    expect(late).toMatchObject({ status: 'ignored' });
    expect(fleet.applied.get('t1#site-a')?.version).toBe(5);
  });

  it('should record the policy the site reports running and where it came from (its configuration: the cloud never pushed one)', async () => {
    const running = PolicySchema.parse({
      $schemaVersion: 1,
      budget: { unit: 'kW', min: 0, max: 30 },
      control: { mode: 'dynamic' },
      closedLoop: { enabled: true },
      vip: { enabled: true, idTags: ['VIP-1'] },
    });

    const result = await recordShadowReport(fleet.deps, {
      thingName: THING,
      document: documents(undefined, applied(0, { source: 'config', policy: JSON.stringify(running) })),
    });

    expect(result).toMatchObject({
      status: 'recorded',
      record: { version: 0, status: 'applied', source: 'config', policy: running },
    });
    expect(fleet.applied.get('t1#site-a')?.policy).toEqual(running);
  });

  it('should reject a reported policy that is not a valid policy, naming the field', async () => {
    const policy = JSON.stringify({ $schemaVersion: 1, budget: { unit: 'kW', min: 0, max: -1 } });

    const result = await recordShadowReport(fleet.deps, {
      thingName: THING,
      document: documents(undefined, applied(3, { policy })),
    });

    expect(result).toMatchObject({ status: 'rejected', code: 'message.invalid' });
    expect(result.status === 'rejected' && result.issues.map((i) => i.path)).toContain(
      'state.reported.policy.budget.max',
    );
    expect(fleet.applied.size).toBe(0);
  });

  it('should reject an invalid reported state naming each bad field', async () => {
    const result = await recordShadowReport(fleet.deps, {
      thingName: THING,
      document: documents(undefined, { version: -1, status: 'done', source: 'cloud', appliedAt: 1 }),
    });

    expect(result).toMatchObject({ status: 'rejected', code: 'message.invalid' });
    expect(result.status === 'rejected' && result.issues.map((i) => i.path)).toEqual([
      'state.reported.version',
      'state.reported.status',
    ]);
  });

  it.each([
    ['a string', 'not a document'],
    ['documents without a state', { previous: null, current: { version: 1 } }],
    ['null', null],
  ])('should reject %s as not a shadow document', async (_name, document) => {
    const result = await recordShadowReport(fleet.deps, { thingName: THING, document });

    expect(result).toMatchObject({ status: 'rejected', code: 'message.invalid', reason: 'not a shadow document' });
  });

  it('should refuse a report from a thing that is not a registered gateway', async () => {
    const result = await recordShadowReport(fleet.deps, {
      thingName: 'amp-intruder',
      document: documents(undefined, applied(3)),
    });

    expect(result).toMatchObject({ status: 'rejected', code: 'auth.forbidden' });
    expect(fleet.applied.size).toBe(0);
  });
});
