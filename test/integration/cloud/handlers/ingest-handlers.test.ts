/** The ingest and shadow-sync Lambda handlers on the real local DynamoDB, with events shaped as the IoT rules' SQL selects them (ingest: through the ingest queue). */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { gatewayStreamTopic } from '../../../../shared/sync/sync-topics';
import { createDocumentClient } from '../../../../cloud/db/create-repositories';
import { handler as ingest, ingestRecords, type IngestHandlerDeps } from '../../../../cloud/handlers/ingest';
import { createDynamoDbMessageLedger } from '../../../../cloud/ingest/dynamodb-message-ledger';
import { handler as shadowSync } from '../../../../cloud/handlers/shadow-sync';
import { startLocalFleetTable, type LocalFleetTable } from '../support/local-fleet-table';
import { seedSite, useLocalTableEnvironment } from './handler-fixtures';

const THING = 'amp-site-1-abc';
const AT = Date.UTC(2025, 2, 3, 10, 0, 0);
let local: LocalFleetTable;

beforeAll(async () => {
  local = await startLocalFleetTable('ampshare-ingest-handlers');
  useLocalTableEnvironment(local);
  await seedSite(local, { tenantId: 'acme', siteId: 'site-1', thingName: THING, at: AT });
});

afterAll(() => local.stop());

const telemetryBatch = (messageId: string) => ({
  v: 1,
  messages: [
    {
      messageId,
      siteId: 'site-1',
      stream: 'telemetry',
      at: AT,
      body: {
        evAmps: [10, 10, 10],
        limitAmps: [16, 16, 16],
        fuseAmps: [63, 63, 63],
        budget: { unit: 'A', value: 40 },
        meter: 'ok',
        charging: 1,
        paused: 0,
      },
    },
  ],
});
const ruleEvent = (payload: unknown, topic = gatewayStreamTopic(THING, 'telemetry')) => ({
  payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64'),
  topic,
  clientId: THING,
});
/** An SQS event as the ingest queue's event source delivers it: each body is the JSON the rule sent. */
const queueEvent = (...bodies: Array<[queueMessageId: string, body: unknown]>) => ({
  Records: bodies.map(([messageId, body]) => ({
    messageId,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {},
    eventSource: 'aws:sqs',
  })),
});
const storedIds = async () =>
  (await local.repositories.telemetry.range('acme', 'site-1', { from: AT, to: AT + 1, maxSamples: 100 }))
    .map((s) => s.messageId)
    .sort();

describe('ingest Lambda handler', () => {
  it('should store a batch once and acknowledge a redelivery without storing it again', async () => {
    expect(await ingest(queueEvent(['q-1', ruleEvent(telemetryBatch('msg-0000001'))]))).toEqual({
      batchItemFailures: [],
    });
    expect(await ingest(queueEvent(['q-2', ruleEvent(telemetryBatch('msg-0000001'))]))).toEqual({
      batchItemFailures: [],
    });
    expect(await storedIds()).toEqual(['msg-0000001']);
  });

  it('should acknowledge records it refuses (payload not JSON, body not a rule event, body not JSON) and store the good one beside them', async () => {
    const response = await ingest(
      queueEvent(
        ['q-bad-payload', ruleEvent('not json')],
        ['q-not-rule', { topic: 'x' }],
        ['q-not-json', '{'],
        ['q-good', ruleEvent(telemetryBatch('msg-0000002'))],
      ),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await storedIds()).toEqual(['msg-0000001', 'msg-0000002']);
  });

  it("should record the presence rule's lifecycle events as the site's connectivity, a late older one changing nothing", async () => {
    const presence = (eventType: string, versionNumber: number, timestamp: number) => ({
      clientId: THING,
      eventType,
      timestamp,
      versionNumber,
    });

    const response = await ingest(
      queueEvent(
        ['q-on', presence('connected', 7, AT + 1_000)],
        ['q-late-off', presence('disconnected', 6, AT + 2_000)],
      ),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect((await local.repositories.sites.get('acme', 'site-1'))?.connectivity).toMatchObject({
      state: 'online',
      since: AT + 1_000,
    });
    await ingest(
      queueEvent([
        'q-off',
        {
          ...presence('disconnected', 7, AT + 3_000),
          clientInitiatedDisconnect: false,
          disconnectReason: 'MQTT_KEEP_ALIVE_TIMEOUT',
        },
      ]),
    );
    expect((await local.repositories.sites.get('acme', 'site-1'))?.connectivity).toMatchObject({
      state: 'offline',
      since: AT + 3_000,
    });
  });

  it('should fail a malformed queue event with message.invalid', async () => {
    await expect(ingest({ Records: [{ body: '{}' }] })).rejects.toSatisfy((e) => AppError.match(e, 'message.invalid'));
  });
});

describe('ingest of queue records when the store fails', () => {
  const FAILING = 'msg-0000004';
  const realDeps = (): IngestHandlerDeps => ({
    ingest: {
      repositories: local.repositories,
      ledger: createDynamoDbMessageLedger({
        documentClient: createDocumentClient(local.client),
        tableName: local.tableName,
      }),
      clock: () => AT,
    },
    logger: pino({ level: 'silent' }),
  });
  /** The real repositories, but the telemetry write of one message fails as a DynamoDB outage would. */
  const depsFailingOn = (messageId: string): IngestHandlerDeps => {
    const deps = realDeps();
    const { telemetry } = local.repositories;
    const failingTelemetry: typeof telemetry = {
      ...telemetry,
      put: (samples) =>
        samples.some((s) => s.messageId === messageId)
          ? Promise.reject(new AppError('internal', 'DynamoDB unavailable'))
          : telemetry.put(samples),
    };
    return {
      ...deps,
      ingest: { ...deps.ingest, repositories: { ...local.repositories, telemetry: failingTelemetry } },
    };
  };
  const records = (...ids: string[]) =>
    queueEvent(...ids.map((id): [string, unknown] => [`q-${id}`, ruleEvent(telemetryBatch(id))])).Records;

  it('should report only the record whose store failed as a batch item failure, store the others, and store it on redelivery', async () => {
    const first = await ingestRecords(depsFailingOn(FAILING), records('msg-0000003', FAILING, 'msg-0000005'));
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: `q-${FAILING}` }] });
    expect(await storedIds()).toEqual(['msg-0000001', 'msg-0000002', 'msg-0000003', 'msg-0000005']);

    const redelivery = await ingestRecords(realDeps(), records(FAILING));
    expect(redelivery).toEqual({ batchItemFailures: [] });
    expect(await storedIds()).toEqual(['msg-0000001', 'msg-0000002', 'msg-0000003', FAILING, 'msg-0000005']);
  });
});

describe('shadow-sync Lambda handler', () => {
  const reported = { version: 3, status: 'applied', source: 'cloud', appliedAt: AT };

  it('should record the version a site reports as applied', async () => {
    const result = await shadowSync({
      thingName: THING,
      previous: null,
      current: { state: { reported }, version: 4 },
      timestamp: AT / 1000,
    });
    expect(result).toMatchObject({ status: 'recorded' });
    expect(await local.repositories.policies.getApplied('acme', 'site-1')).toMatchObject({
      version: 3,
      status: 'applied',
    });
  });

  it('should report a document from an unknown gateway as rejected', async () => {
    const result = await shadowSync({ thingName: 'amp-unknown-1', previous: null, current: { state: { reported } } });
    expect(result).toMatchObject({ status: 'rejected', code: 'auth.forbidden' });
  });

  it('should fail a malformed rule event with message.invalid', async () => {
    await expect(shadowSync({ thingName: THING, current: 'x' })).rejects.toSatisfy((e) =>
      AppError.match(e, 'message.invalid'),
    );
  });
});
