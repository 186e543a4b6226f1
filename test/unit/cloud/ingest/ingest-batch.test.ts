import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { MAX_MESSAGE_BYTES } from '../../../../shared/sync/sync-messages';
import { ingestBatch } from '../../../../cloud/ingest/ingest-batch';
import { gatewayStreamTopic } from '../../../../shared/sync/sync-topics';
import { inMemoryIngest, type InMemoryIngest } from './in-memory-ports';
import { AT, batch, eventMessage, sessionMessage, telemetryMessage } from './site-batches';

const THING = 'amp-site-a-1';
const TOPIC = gatewayStreamTopic(THING, 'telemetry');

describe('ingestBatch', () => {
  let fleet: InMemoryIngest;
  beforeEach(() => {
    fleet = inMemoryIngest();
    fleet.gateways.push(
      { tenantId: 't1', siteId: 'site-a', thingName: THING, credentialId: THING, status: 'active', createdAt: 0 },
      {
        tenantId: 't1',
        siteId: 'site-b',
        thingName: 'amp-site-b-1',
        credentialId: 'b',
        status: 'revoked',
        createdAt: 0,
        revokedAt: 1,
      },
    );
  });

  it('should store every new telemetry sample of a batch under the gateway tenant', async () => {
    const payload = batch(
      telemetryMessage('site-a', 'msg-00001'),
      telemetryMessage('site-a', 'msg-00002', AT + 10_000),
    );

    const result = await ingestBatch(fleet.deps, { thingName: THING, topic: TOPIC, payload });

    expect(result).toEqual({
      siteId: 'site-a',
      stream: 'telemetry',
      tenantId: 't1',
      received: 2,
      stored: 2,
      duplicates: 0,
      rejected: [],
    });
    expect([...fleet.telemetry.values()]).toEqual([
      {
        tenantId: 't1',
        siteId: 'site-a',
        at: AT,
        messageId: 'msg-00001',
        gridAmps: [20, 21, 22],
        allocatedAmps: [16, 16, 16],
        activeConnectors: 1,
      },
      expect.objectContaining({ messageId: 'msg-00002', at: AT + 10_000 }),
    ]);
  });

  it('should count a replayed batch as duplicates and write nothing again', async () => {
    const payload = batch(telemetryMessage('site-a', 'msg-00001'), telemetryMessage('site-a', 'msg-00002'));
    await ingestBatch(fleet.deps, { thingName: THING, topic: TOPIC, payload });

    const replay = await ingestBatch(fleet.deps, {
      thingName: THING,
      topic: TOPIC,
      payload: new TextEncoder().encode(payload),
    });

    expect(replay).toMatchObject({ received: 2, stored: 0, duplicates: 2, rejected: [] });
    expect(fleet.writes.telemetry).toBe(2);
  });

  it('should store a message id repeated inside one batch once', async () => {
    const result = await ingestBatch(fleet.deps, {
      thingName: THING,
      topic: TOPIC,
      payload: batch(telemetryMessage('site-a', 'msg-00001'), telemetryMessage('site-a', 'msg-00001')),
    });

    expect(result).toMatchObject({ stored: 1, duplicates: 1 });
    expect(fleet.writes.telemetry).toBe(1);
  });

  it('should accept a payload an IoT rule already parsed', async () => {
    const result = await ingestBatch(fleet.deps, {
      thingName: THING,
      topic: TOPIC,
      payload: { v: 1, messages: [telemetryMessage('site-a', 'msg-00001')] },
    });

    expect(result.stored).toBe(1);
  });

  it('should store sessions with their connector and keep the most advanced state of a session', async () => {
    const payload = batch(
      sessionMessage('site-a', 'msg-s0001', { state: 'started' }, AT),
      sessionMessage(
        'site-a',
        'msg-s0003',
        { state: 'stopped', stoppedAt: AT + 3_600_000, energyWh: 11_000, idTag: 'TAG1' },
        AT + 3_600_000,
      ),
      sessionMessage('site-a', 'msg-s0002', { state: 'updated', energyWh: 5_000 }, AT + 1_800_000),
    );

    const result = await ingestBatch(fleet.deps, {
      thingName: THING,
      topic: gatewayStreamTopic(THING, 'sessions'),
      payload,
    });

    expect(result).toMatchObject({ stored: 3, duplicates: 0 });
    expect([...fleet.sessions.values()]).toEqual([
      {
        tenantId: 't1',
        siteId: 'site-a',
        sessionId: 'tx-1',
        connector: 'CP-1/1',
        startedAt: AT,
        stoppedAt: AT + 3_600_000,
        energyWh: 11_000,
        idTag: 'TAG1',
      },
    ]);
  });

  it.each([
    ['a start', { state: 'started' as const }],
    ['an earlier update', { state: 'updated' as const, energyWh: 5_000 }],
  ])('should not let %s delivered after the stop (reordered or retried) reopen the session', async (_what, late) => {
    const topic = gatewayStreamTopic(THING, 'sessions');
    await ingestBatch(fleet.deps, {
      thingName: THING,
      topic,
      payload: batch(
        sessionMessage(
          'site-a',
          'msg-s0009',
          { state: 'stopped', stoppedAt: AT + 3_600_000, energyWh: 11_000 },
          AT + 3_600_000,
        ),
      ),
    });

    const result = await ingestBatch(fleet.deps, {
      thingName: THING,
      topic,
      payload: batch(sessionMessage('site-a', 'msg-s0001', late)),
    });

    expect(result).toMatchObject({ stored: 1, duplicates: 0, rejected: [] });
    expect([...fleet.sessions.values()]).toEqual([
      expect.objectContaining({ sessionId: 'tx-1', stoppedAt: AT + 3_600_000, energyWh: 11_000 }),
    ]);
    expect(fleet.writes.sessions).toBe(1);
  });

  it('should let a later update replace an earlier one across batches', async () => {
    const topic = gatewayStreamTopic(THING, 'sessions');
    await ingestBatch(fleet.deps, {
      thingName: THING,
      topic,
      payload: batch(sessionMessage('site-a', 'msg-s0001', { state: 'updated', energyWh: 5_000 })),
    });

    await ingestBatch(fleet.deps, {
      thingName: THING,
      topic,
      payload: batch(sessionMessage('site-a', 'msg-s0002', { state: 'updated', energyWh: 7_000 })),
    });

    expect([...fleet.sessions.values()]).toEqual([expect.objectContaining({ sessionId: 'tx-1', energyWh: 7_000 })]);
  });

  it('should store events with the cloud severity and the charger in their data', async () => {
    const payload = batch(
      eventMessage('site-a', 'msg-e0001', {
        kind: 'charger.unresponsive',
        chargerId: 'CP-2',
        details: { attempts: 3 },
      }),
    );

    await ingestBatch(fleet.deps, { thingName: THING, topic: gatewayStreamTopic(THING, 'events'), payload });

    expect([...fleet.events.values()]).toEqual([
      {
        tenantId: 't1',
        siteId: 'site-a',
        eventId: 'msg-e0001',
        at: AT,
        type: 'charger.unresponsive',
        severity: 'error',
        message: 'meter silent for 30 s',
        data: { attempts: 3, chargerId: 'CP-2' },
      },
    ]);
  });

  it.each([
    [
      'a topic that is no gateway stream',
      { topic: `ampshare/gateways/${THING}/commands`, payload: batch(telemetryMessage('site-a', 'msg-00001')) },
      'message.invalid',
      /not a gateway stream topic/,
    ],
    [
      'the old site-keyed topic',
      { topic: 'ampshare/sites/site-a/telemetry', payload: batch(telemetryMessage('site-a', 'msg-00001')) },
      'message.invalid',
      /not a gateway stream topic/,
    ],
    ['malformed JSON', { topic: TOPIC, payload: '{"v":1,' }, 'message.invalid', /not JSON/],
    [
      'bytes that are not UTF-8',
      { topic: TOPIC, payload: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) },
      'message.invalid',
      /not UTF-8/,
    ],
    [
      'an oversized payload',
      { topic: TOPIC, payload: 'x'.repeat(MAX_MESSAGE_BYTES + 1) },
      'message.invalid',
      /larger than 131072/,
    ],
    [
      'an empty batch',
      { topic: TOPIC, payload: JSON.stringify({ v: 1, messages: [] }) },
      'message.invalid',
      /messages/,
    ],
    [
      'a batch of an unknown version',
      { topic: TOPIC, payload: JSON.stringify({ v: 2, messages: [telemetryMessage('site-a', 'msg-00001')] }) },
      'message.invalid',
      /v:/,
    ],
    [
      'no publishing thing',
      { thingName: '', topic: TOPIC, payload: batch(telemetryMessage('site-a', 'msg-00001')) },
      'auth.forbidden',
      /cannot be attributed/,
    ],
    [
      'an unknown thing',
      {
        thingName: 'amp-intruder',
        topic: gatewayStreamTopic('amp-intruder', 'telemetry'),
        payload: batch(telemetryMessage('site-a', 'msg-00001')),
      },
      'auth.forbidden',
      /not a registered gateway/,
    ],
    [
      'a revoked thing',
      {
        thingName: 'amp-site-b-1',
        topic: gatewayStreamTopic('amp-site-b-1', 'telemetry'),
        payload: batch(telemetryMessage('site-b', 'msg-00001')),
      },
      'auth.forbidden',
      /revoked/,
    ],
    [
      "another gateway's topic",
      {
        topic: gatewayStreamTopic('amp-site-b-1', 'telemetry'),
        payload: batch(telemetryMessage('site-b', 'msg-00001')),
      },
      'auth.forbidden',
      /gateway "amp-site-a-1" published on the topic of gateway "amp-site-b-1"/,
    ],
  ])('should refuse the whole batch for %s', async (_name, input, code, reason) => {
    const result = await ingestBatch(fleet.deps, { thingName: THING, ...input });

    expect(result.stored).toBe(0);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatchObject({ code });
    expect(result.rejected[0]?.reason).toMatch(reason);
    expect(result.rejected[0]?.index).toBeUndefined();
    expect(fleet.writes.telemetry).toBe(0);
  });

  it('should reject only the bad messages of a batch, each with its path, and store the rest', async () => {
    const payload = batch(
      telemetryMessage('site-a', 'msg-00001'),
      { ...telemetryMessage('site-a', 'msg-00002'), body: { evAmps: [1, 2] } },
      telemetryMessage('site-b', 'msg-00003'),
      sessionMessage('site-a', 'msg-00004'),
    );

    const result = await ingestBatch(fleet.deps, { thingName: THING, topic: TOPIC, payload });

    expect(result).toMatchObject({ received: 4, stored: 1, duplicates: 0 });
    expect(result.rejected.map((r) => [r.index, r.messageId, r.code])).toEqual([
      [1, 'msg-00002', 'message.invalid'],
      [2, 'msg-00003', 'auth.forbidden'],
      [3, 'msg-00004', 'auth.forbidden'],
    ]);
    expect(result.rejected[0]?.issues.map((i) => i.path)).toContain('messages[1].body.evAmps');
    expect(result.rejected[1]?.reason).toBe('message is for site "site-b", published by the gateway of site "site-a"');
  });

  it('should throw an internal error on a store failure, leaving the messages unrecorded so that a redelivery stores them', async () => {
    const payload = batch(telemetryMessage('site-a', 'msg-00001'));
    fleet.failNext = 'telemetry';

    const failed = await ingestBatch(fleet.deps, { thingName: THING, topic: TOPIC, payload }).catch(
      (error: unknown) => error,
    );
    const recordedAfterFailure = fleet.ledger.size;
    const retried = await ingestBatch(fleet.deps, { thingName: THING, topic: TOPIC, payload });

    expect(failed).toBeInstanceOf(Error);
    expect(recordedAfterFailure).toBe(0);
    expect(fleet.ledger.size).toBe(1);
    expect(retried).toMatchObject({ stored: 1, duplicates: 0 });
  });

  it('should pass AppErrors of the repositories through unchanged', async () => {
    fleet.deps.repositories.gateways.findByThingName = () =>
      Promise.reject(new AppError('internal', 'data store failure while trying to find a gateway'));

    await expect(
      ingestBatch(fleet.deps, {
        thingName: THING,
        topic: TOPIC,
        payload: batch(telemetryMessage('site-a', 'msg-00001')),
      }),
    ).rejects.toSatisfy((e) => AppError.match(e, 'internal'));
  });
});
