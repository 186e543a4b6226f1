/**
 * Issue 18: a gateway's peak-demand reports over the real local broker into the real local DynamoDB, through the IoT
 * rules bridge, and out of the API with the money saved: the console's numbers from end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult } from '../../../../cloud/ingest/ingest-result';
import { startLocalCloud, type LocalCloud } from '../../../../cloud/local/start-local-cloud';
import { DemandMonthsAnswerSchema } from '../../../../shared/demand/demand-months-answer';
import { gatewayStreamTopic } from '../../../../shared/sync/sync-topics';
import { api, connectGateway, nextOutcome, registerGateway, type GatewayClient } from './local-cloud-kit';

const AT = Date.UTC(2026, 11, 3, 10, 0, 0);
const telemetry = (messageId: string, at: number, peakKw: number, uncontrolledPeakKw: number) => ({
  messageId,
  siteId: 'demo-site',
  stream: 'telemetry',
  at,
  body: {
    evAmps: [10, 10, 10],
    limitAmps: [16, 16, 16],
    fuseAmps: [63, 63, 63],
    budget: { unit: 'A', value: 40 },
    meter: 'ok',
    charging: 1,
    paused: 0,
    demand: { month: '2026-12', periodMinutes: 15, peakKw, peakAt: AT, uncontrolledPeakKw },
  },
});

describe('local cloud: peak-demand months end to end', () => {
  let cloud: LocalCloud;
  let gateway: GatewayClient;
  let thingName: string;

  beforeAll(async () => {
    cloud = await startLocalCloud();
    const credentials = await registerGateway(cloud, cloud.demo.siteId);
    thingName = credentials.thingName;
    gateway = await connectGateway(cloud, credentials);
  });
  afterAll(async () => {
    await gateway?.close();
    await cloud?.stop();
  });

  async function publish(messages: object[]): Promise<IngestResult> {
    const topic = gatewayStreamTopic(thingName, 'telemetry');
    const outcome = nextOutcome(cloud.bridge, (o) => o.topic === topic && o.thingName === thingName);
    await gateway.client.publishAsync(topic, JSON.stringify({ v: 1, messages }), { qos: 1 });
    const result = await outcome;
    if (result.kind !== 'ingest') throw new Error(`expected an ingest outcome, got ${result.kind}`);
    return result.result;
  }

  it("should answer the month's peaks a gateway published, with the money saved at a monthly tariff", async () => {
    // Act: two samples, the month's peak rising between them
    const result = await publish([telemetry('dem-000001', AT, 11, 20), telemetry('dem-000002', AT + 60_000, 12, 22)]);
    const response = await api(cloud, '/sites/demo-site/demand-months?tariff=5&per=month');
    const answer = DemandMonthsAnswerSchema.parse(await response.json());

    // Assert: 10 kW avoided at 5 per kW and month
    expect(result).toMatchObject({ stored: 2, rejected: [] });
    expect(answer.months).toEqual([
      expect.objectContaining({ month: '2026-12', peakKw: 12, uncontrolledPeakKw: 22, avoidedKw: 10, saved: 50 }),
    ]);
  });
});
