import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { telemetryPartition, telemetrySortKey } from '../../../../cloud/db/keys';
import { siteEvent } from '../../../../cloud/ingest/site-message-records';
import type { SiteRecord } from '../../../../cloud/ports/site-repository';
import { lockoutEventBody } from '../../../../edge/security/lockout-report';
import { policyInput, siteInput } from '../support/fleet-builders';
import { RETENTION, startLocalFleetTable, type LocalFleetTable } from '../support/local-fleet-table';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

function siteRecord(tenantId: string, siteId: string): SiteRecord {
  const { chargers: _chargers, ...config } = SiteSchema.parse(siteInput(siteId));
  return { tenantId, config, connectivity: { state: 'unknown', since: T0 }, createdAt: T0, updatedAt: T0 };
}

describe('fleet repositories on a real local DynamoDB', () => {
  let local: LocalFleetTable;
  beforeAll(async () => {
    local = await startLocalFleetTable();
  });
  afterAll(async () => {
    await local?.stop();
  });

  it('should create, read, list by page and refuse a duplicate site', async () => {
    const { sites } = local.repositories;
    for (const id of ['s-1', 's-2', 's-3']) await sites.create(siteRecord('tenant-a', id));
    await sites.create(siteRecord('tenant-b', 's-1'));

    await expect(sites.create(siteRecord('tenant-a', 's-1'))).rejects.toSatisfy((e) =>
      AppError.match(e, 'resource.conflict'),
    );
    expect((await sites.get('tenant-a', 's-2'))?.config.id).toBe('s-2');
    expect(await sites.get('tenant-b', 's-2')).toBeUndefined();

    const first = await sites.list('tenant-a', { limit: 2 });
    expect(first.items.map((s) => s.config.id)).toEqual(['s-1', 's-2']);
    const second = await sites.list('tenant-a', { limit: 2, after: first.lastSiteId! });
    expect(second.items.map((s) => s.config.id)).toEqual(['s-3']);
    expect(second.lastSiteId).toBeUndefined();
  });

  it('should refuse a policy write with a stale expected version and keep the history', async () => {
    const { policies } = local.repositories;
    const policy = PolicySchema.parse(policyInput(40));
    const v1 = await policies.putDesired(
      { tenantId: 'tenant-a', siteId: 's-1', policy, expectedVersion: 0, source: 'api' },
      T0,
    );
    const v2 = await policies.putDesired(
      {
        tenantId: 'tenant-a',
        siteId: 's-1',
        policy: PolicySchema.parse(policyInput(50)),
        expectedVersion: 1,
        source: 'api',
      },
      T0 + 1,
    );

    await expect(
      policies.putDesired({ tenantId: 'tenant-a', siteId: 's-1', policy, expectedVersion: 1, source: 'api' }, T0 + 2),
    ).rejects.toSatisfy((e) => AppError.match(e, 'resource.conflict'));
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect((await policies.getDesired('tenant-a', 's-1'))?.policy.budget.max).toBe(50);
    const history = await policies.history('tenant-a', 's-1', { limit: 1 });
    expect(history.items.map((v) => v.version)).toEqual([2]);
    const older = await policies.history('tenant-a', 's-1', { limit: 5, beforeVersion: history.nextBeforeVersion! });
    expect(older.items.map((v) => v.version)).toEqual([1]);
  });

  it('should let only one of two concurrent writers of the same version win', async () => {
    const { policies } = local.repositories;
    const policy = PolicySchema.parse(policyInput(30));
    const results = await Promise.allSettled(
      [1, 2].map(() =>
        policies.putDesired({ tenantId: 'tenant-a', siteId: 's-2', policy, expectedVersion: 0, source: 'api' }, T0),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('should store telemetry with a TTL attribute, idempotently, and read a range across day buckets', async () => {
    const { telemetry } = local.repositories;
    const day = 24 * 3600 * 1000;
    const samples = [T0 - day, T0 - 1000, T0, T0 + 1000].map((at, i) => ({
      tenantId: 'tenant-a',
      siteId: 's-1',
      at,
      messageId: `m-${i}`,
      gridAmps: [10, 11, 12] as const,
    }));
    await telemetry.put(samples);
    await telemetry.put(samples.slice(0, 1));

    const read = await telemetry.range('tenant-a', 's-1', { from: T0 - day, to: T0 + 1000, maxSamples: 100 });
    expect(read.map((s) => s.at)).toEqual([T0 - day, T0 - 1000, T0]);
    expect(read[0]?.gridAmps).toEqual([10, 11, 12]);

    const raw = await local.client.send(
      new GetItemCommand({
        TableName: local.tableName,
        Key: { PK: { S: telemetryPartition('tenant-a', 's-1', T0) }, SK: { S: telemetrySortKey(T0, 'm-2') } },
      }),
    );
    expect(Number(raw.Item?.expiresAt?.N)).toBe(Math.floor(T0 / 1000) + RETENTION.telemetryDays * 86_400);
  });

  it("should keep an event's reason and parameters as the ingest maps them, and read an older event without them", async () => {
    // Arrange: a lockout as the agent sends it (issue 16), and an older agent's event with its English message only
    const { events } = local.repositories;
    const body = lockoutEventBody({
      at: T0,
      boundary: 'dashboard',
      kind: 'identity',
      key: 'admin',
      failures: 5,
      lockedForMs: 60_000,
    });
    const said = siteEvent('tenant-a', { messageId: 'said-1', siteId: 's-9', stream: 'events', at: T0 + 1, body });
    const older = siteEvent('tenant-a', {
      messageId: 'older-1',
      siteId: 's-9',
      stream: 'events',
      at: T0,
      body: { kind: 'meter.lost', severity: 'critical', message: 'meter grid lost' },
    });

    // Act
    await events.put([said, older]);
    const { items } = await events.list('tenant-a', 's-9', { from: T0, to: T0 + 2, limit: 10 });

    // Assert
    expect(items).toEqual([
      { ...said, data: body.details },
      {
        tenantId: 'tenant-a',
        siteId: 's-9',
        eventId: 'older-1',
        at: T0,
        type: 'meter.lost',
        severity: 'error',
        message: 'meter grid lost',
      },
    ]);
    expect(items[0]).toMatchObject({ reason: 'siteEvent.lockout', params: body.params });
  });

  it("should keep a cluster node's latest report when an older one arrives late, and take a newer one", async () => {
    // Arrange: gw-a fenced out of term 7 at T0 + 2 s
    const { clusterNodes } = local.repositories;
    const node = { tenantId: 'tenant-a', siteId: 's-cluster', nodeId: 'gw-a' };
    await clusterNodes.report({ ...node, role: 'fenced', term: '7', at: T0 + 2_000, reason: 'lease lost' });

    // Act: its outbox replays the older master report, then the node reports term 9
    await clusterNodes.report({ ...node, role: 'master', term: '7', at: T0 + 1_000 });
    const afterReplay = await clusterNodes.list('tenant-a', 's-cluster', 10);
    await clusterNodes.report({ ...node, role: 'master', term: '9', at: T0 + 3_000 });

    // Assert
    expect(afterReplay).toEqual([{ ...node, role: 'fenced', term: '7', at: T0 + 2_000, reason: 'lease lost' }]);
    expect(await clusterNodes.list('tenant-a', 's-cluster', 10)).toEqual([
      { ...node, role: 'master', term: '9', at: T0 + 3_000 },
    ]);
  });

  it('should page sessions and events newest first within a time range', async () => {
    const { sessions, events } = local.repositories;
    for (let i = 0; i < 5; i++) {
      await sessions.put({
        tenantId: 'tenant-a',
        siteId: 's-1',
        sessionId: `x${i}`,
        connector: 'CP-1/1',
        startedAt: T0 + i * 1000,
        energyWh: i,
      });
    }
    await events.put([
      {
        tenantId: 'tenant-a',
        siteId: 's-1',
        eventId: 'e1',
        at: T0,
        type: 'meter.lost',
        severity: 'warning',
        message: 'meter lost',
      },
    ]);

    const page1 = await sessions.list('tenant-a', 's-1', { from: T0, to: T0 + 4000, limit: 2 });
    const page2 = await sessions.list('tenant-a', 's-1', { from: T0, to: T0 + 4000, limit: 2, cursor: page1.cursor! });
    expect([...page1.items, ...page2.items].map((s) => s.sessionId)).toEqual(['x3', 'x2', 'x1', 'x0']);
    expect((await events.list('tenant-a', 's-1', { from: T0, to: T0 + 1, limit: 10 })).items[0]?.type).toBe(
      'meter.lost',
    );
    await expect(sessions.list('tenant-a', 's-1', { from: T0, to: T0 + 1, limit: 2, cursor: 'bad' })).rejects.toSatisfy(
      (e) => AppError.match(e, 'message.invalid'),
    );
  });

  describe('sessions only move forward', () => {
    const session = (sessionId: string, state: 'start' | 'update' | 'stop') => ({
      tenantId: 'tenant-a',
      siteId: 's-forward',
      sessionId,
      connector: 'CP-1/1' as const,
      startedAt: T0,
      energyWh: { start: 0, update: 1200, stop: 2500 }[state],
      ...(state === 'stop' ? { stoppedAt: T0 + 3_600_000 } : {}),
    });
    const stored = async (sessionId: string) =>
      (await local.repositories.sessions.list('tenant-a', 's-forward', { from: T0, to: T0 + 1, limit: 10 })).items.find(
        (s) => s.sessionId === sessionId,
      );

    it.each([
      ['start then stop', ['start', 'stop'] as const],
      ['stop then start', ['stop', 'start'] as const],
      ['update then stop', ['update', 'stop'] as const],
      ['stop then update', ['stop', 'update'] as const],
    ])(
      'should keep the stop when an open state and the stop are written at the same moment (%s)',
      async (name, order) => {
        const id = `race-${name.replaceAll(' ', '-')}`;
        const { sessions } = local.repositories;

        const outcomes = await Promise.all(order.map((state) => sessions.put(session(id, state))));

        expect(outcomes[order.indexOf('stop')]).toBe('written');
        expect(await stored(id)).toEqual(session(id, 'stop'));
      },
    );

    it('should report a late start or an older update as superseded, and let a later update and a repeated stop through', async () => {
      const { sessions } = local.repositories;
      expect(await sessions.put(session('seq', 'update'))).toBe('written');
      expect(await sessions.put(session('seq', 'start'))).toBe('superseded');
      expect(await sessions.put(session('seq', 'update'))).toBe('written');
      expect(await sessions.put(session('seq', 'stop'))).toBe('written');
      expect(await sessions.put(session('seq', 'start'))).toBe('superseded');
      expect(await sessions.put(session('seq', 'stop'))).toBe('written');
      expect(await stored('seq')).toEqual(session('seq', 'stop'));
    });
  });

  it('should find a gateway by thing name and delete a site with its partition', async () => {
    const { gateways, sites, chargers } = local.repositories;
    await chargers.put('tenant-a', 's-3', SiteSchema.parse(siteInput('s-3')).chargers, T0);
    await gateways.create({
      tenantId: 'tenant-a',
      siteId: 's-3',
      thingName: 'gw-s-3-abc',
      credentialId: 'cert-1',
      status: 'active',
      createdAt: T0,
    });
    expect((await gateways.findByThingName('gw-s-3-abc'))?.siteId).toBe('s-3');
    await expect(
      gateways.create({
        tenantId: 'tenant-a',
        siteId: 's-3',
        thingName: 'gw-s-3-abc',
        credentialId: 'c',
        status: 'active',
        createdAt: T0,
      }),
    ).rejects.toSatisfy((e) => AppError.match(e, 'resource.conflict'));
    expect((await chargers.list('tenant-a', 's-3')).map((c) => c.id)).toEqual(['CP-1', 'CP-2']);

    await sites.delete('tenant-a', 's-3');
    expect(await sites.get('tenant-a', 's-3')).toBeUndefined();
    expect(await chargers.list('tenant-a', 's-3')).toEqual([]);
    expect(await gateways.listForSite('tenant-a', 's-3')).toEqual([]);
  });
});
