/** The ingest and shadow-sync Lambda handlers on the real local DynamoDB, with events shaped as the IoT rules' SQL selects them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { handler as ingest } from '../../../../cloud/handlers/ingest';
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
      body: { evAmps: [10, 10, 10], limitAmps: [16, 16, 16], fuseAmps: [63, 63, 63], budget: { unit: 'A', value: 40 }, meter: 'ok', charging: 1, paused: 0 },
    },
  ],
});
const ruleEvent = (payload: unknown, topic = 'ampshare/sites/site-1/telemetry') => ({
  payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64'),
  topic,
  clientId: THING,
});

describe('ingest Lambda handler', () => {
  it('should store a batch once and count a redelivery as duplicates', async () => {
    const first = await ingest(ruleEvent(telemetryBatch('msg-0000001')));
    expect(first).toMatchObject({ tenantId: 'acme', siteId: 'site-1', received: 1, stored: 1, duplicates: 0, rejected: [] });
    const again = await ingest(ruleEvent(telemetryBatch('msg-0000001')));
    expect(again).toMatchObject({ stored: 0, duplicates: 1 });
    const samples = await local.repositories.telemetry.range('acme', 'site-1', { from: AT, to: AT + 1, maxSamples: 10 });
    expect(samples.map((s) => s.messageId)).toEqual(['msg-0000001']);
  });

  it('should report a payload that is not JSON as rejected, not throw', async () => {
    const result = await ingest(ruleEvent('not json'));
    expect(result).toMatchObject({ received: 0, stored: 0, rejected: [{ code: 'message.invalid', reason: 'payload is not JSON' }] });
  });

  it('should fail a malformed rule event with message.invalid', async () => {
    await expect(ingest({ topic: 'ampshare/sites/site-1/telemetry' })).rejects.toSatisfy((e) => AppError.match(e, 'message.invalid'));
  });
});

describe('shadow-sync Lambda handler', () => {
  const reported = { version: 3, status: 'applied', source: 'cloud', appliedAt: AT };

  it('should record the version a site reports as applied', async () => {
    const result = await shadowSync({ thingName: THING, previous: null, current: { state: { reported }, version: 4 }, timestamp: AT / 1000 });
    expect(result).toMatchObject({ status: 'recorded' });
    expect(await local.repositories.policies.getApplied('acme', 'site-1')).toMatchObject({ version: 3, status: 'applied' });
  });

  it('should report a document from an unknown gateway as rejected', async () => {
    const result = await shadowSync({ thingName: 'amp-unknown-1', previous: null, current: { state: { reported } } });
    expect(result).toMatchObject({ status: 'rejected', code: 'auth.forbidden' });
  });

  it('should fail a malformed rule event with message.invalid', async () => {
    await expect(shadowSync({ thingName: THING, current: 'x' })).rejects.toSatisfy((e) => AppError.match(e, 'message.invalid'));
  });
});
