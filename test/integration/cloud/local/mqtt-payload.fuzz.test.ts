/**
 * Boundary fuzz: MQTT payloads and shadow documents on the local stack (aedes broker, rules bridge, shadow service,
 * DynamoDB Local). A registered gateway publishes generated payloads on its own streams (batches mutated from valid
 * ones, any JSON, text, binary, oversized), and a foreign writer puts generated desired states into a gateway's policy
 * shadow. Every batch is answered by the ingest (stored, duplicate or rejected with a code and a reason, never a
 * failure), every shadow document is taken or refused with a report, the other site's data is untouched, and a good
 * batch is still stored afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../cloud/local/start-local-cloud';
import { MAX_MESSAGE_BYTES } from '../../../../shared/sync/sync-messages';
import { gatewayStreamTopic, SITE_STREAMS } from '../../../../shared/sync/sync-topics';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { policyInput, siteInput } from '../support/fleet-builders';
import { policyWithBudget, putPolicy, startSyncedEdge, untilCloud } from '../../edge/support/synced-edge';
import {
  api,
  connectGateway,
  nextOutcome,
  registerGateway,
  type GatewayClient,
  type GatewayCredentials,
} from './local-cloud-kit';
import { mutated } from '../../../support/fuzz-inputs';

const AT = Date.UTC(2025, 2, 3, 10, 0, 0);
const VALID = {
  telemetry: {
    evAmps: [10, 10, 10],
    limitAmps: [16, 16, 16],
    fuseAmps: [63, 63, 63],
    budget: { unit: 'A', value: 40 },
    meter: 'ok',
    charging: 1,
    paused: 0,
  },
  sessions: { sessionId: 'tx-1', chargerId: 'CP-1', connectorId: 1, state: 'started', startedAt: AT, energyWh: 0 },
  events: { kind: 'agent.started', severity: 'info', message: 'up' },
} as const;

/** One message of `stream`: valid, or with one field of the envelope or its body dropped, replaced or added. */
function message(stream: keyof typeof VALID, siteId: string) {
  return fc
    .nat()
    .chain((pick) =>
      mutated({ messageId: `fz-${pick.toString(36)}`, siteId, stream, at: AT + pick, body: VALID[stream] }),
    );
}

const payload = (siteId: string) =>
  fc.constantFrom(...SITE_STREAMS).chain((stream) =>
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc
          .array(message(stream, siteId), { minLength: 1, maxLength: 4 })
          .map((messages) => ({ stream, text: JSON.stringify({ v: 1, messages }) })),
      },
      {
        weight: 1,
        arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ stream, text: JSON.stringify(value) ?? 'null' })),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ stream, text })) },
      {
        weight: 1,
        arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ stream, text: Buffer.from(bytes) })),
      },
      {
        weight: 1,
        arbitrary: fc.constant({
          stream,
          // The largest payload the broker lets through (a byte more closes the connection, as on AWS IoT).
          text: JSON.stringify({ v: 1, messages: [], pad: 'x'.repeat(MAX_MESSAGE_BYTES - 30) }),
        }),
      },
    ),
  );

const desired = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ version: 5, policy: value })),
  fc
    .tuple(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(JSON.stringify(policyInput(20)), '{"$schemaVersion": 1,', ''))
    .map(([version, policy]) => ({ version, policy })),
  fc.tuple(fc.nat({ max: 1_000 }), fc.string({ maxLength: 100 })).map(([version, policy]) => ({ version, policy })),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('MQTT payload and shadow document boundary fuzz', () => {
  let cloud: LocalCloud;
  let own: GatewayCredentials;
  let gateway: GatewayClient;
  const otherSite = async () => ({
    telemetry: await cloud.repositories.telemetry.range(cloud.demo.tenantId, cloud.demo.siteId, {
      from: AT - 86_400_000,
      to: AT + 86_400_000,
      maxSamples: 1000,
    }),
    sessions: await (await api(cloud, `/sites/${cloud.demo.siteId}/sessions`)).json(),
    events: await (await api(cloud, `/sites/${cloud.demo.siteId}/events`)).json(),
  });

  beforeAll(async () => {
    cloud = await startLocalCloud();
    expect((await api(cloud, '/sites', { method: 'POST', body: siteInput('site-b') })).status).toBe(201);
    own = await registerGateway(cloud, 'site-b');
    gateway = await connectGateway(cloud, own);
  });
  afterAll(async () => {
    await gateway?.close();
    await cloud?.stop();
  });

  it("should answer 150 generated payloads on a gateway's streams with a result, and still store a good batch", async () => {
    // Arrange
    const before = await otherSite();
    const samples = fc.sample(fc.tuple(payload('site-b'), fc.boolean()), { numRuns: 150, seed: 9 });
    const codes = new Map<string, number>();

    // Act
    for (const [{ stream, text }, foreignSite] of samples) {
      const topic = gatewayStreamTopic(own.thingName, stream);
      const outcome = nextOutcome(cloud.bridge, (o) => o.topic === topic && o.thingName === own.thingName);
      const body =
        foreignSite && typeof text === 'string' ? text.replaceAll('"site-b"', `"${cloud.demo.siteId}"`) : text;
      await gateway.client.publishAsync(topic, body, { qos: 1 });
      const result = await Promise.race([
        outcome,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`no outcome for ${String(body).slice(0, 120)} (${String(body).length} bytes)`)),
            5_000,
          ),
        ),
      ]);

      // Assert
      if (result.kind !== 'ingest')
        throw new Error(
          `expected an ingest outcome, got ${result.kind}: ${String((result as { error?: unknown }).error)}`,
        );
      for (const rejection of result.result.rejected) {
        expect(rejection.reason.length).toBeGreaterThan(0);
        codes.set(rejection.code, (codes.get(rejection.code) ?? 0) + 1);
      }
    }

    // Assert
    expect(codes.size).toBeGreaterThan(1);
    expect(await otherSite()).toEqual(before);
    const good = nextOutcome(cloud.bridge, (o) => o.kind === 'ingest' && o.thingName === own.thingName);
    await gateway.client.publishAsync(
      gatewayStreamTopic(own.thingName, 'events'),
      JSON.stringify({
        v: 1,
        messages: [{ messageId: 'fz-good-1', siteId: 'site-b', stream: 'events', at: AT, body: VALID.events }],
      }),
      { qos: 1 },
    );
    expect(await good).toMatchObject({ kind: 'ingest', result: { stored: 1, rejected: [] } });
  }, 120_000);

  it('should have the agent take or refuse 60 generated desired states in its policy shadow, report each, and stay on a valid policy', async () => {
    // Arrange: an agent synced to the demo site, on the cloud's version 1
    const edge = await startSyncedEdge(cloud, { chargers: 1 });
    try {
      const version = await putPolicy(cloud, policyWithBudget({ chargers: 1 }, 20));
      await untilCloud(cloud, 'version 1 applied', () => edge.agent.sync?.status().policy.inForce?.version === version);
      const documents = fc.sample(desired, { numRuns: 60, seed: 4 });

      // Act
      const deltas = () => edge.agent.sync?.status().policy.deltasHandled ?? 0;
      for (const document of documents) {
        const before = deltas();
        let outcome: Awaited<ReturnType<typeof cloud.shadows.update>>;
        try {
          outcome = await cloud.shadows.update(edge.gateway.thingName, 'policy', { state: { desired: document } });
        } catch (error) {
          // What a shadow cannot hold the shadow service refuses, as AWS IoT does: with a reason.
          expect((error as Error).message.length).toBeGreaterThan(0);
          continue;
        }
        // A document that differs from what is reported goes to the agent as a delta: wait until it took it.
        if (outcome.ok && outcome.delta !== undefined)
          await untilCloud(cloud, 'the delta handled', () => deltas() > before);

        // Assert
        expect(PolicySchema.safeParse(edge.agent.controller.policy).success).toBe(true);
      }

      // Assert: the next good policy still applies (written above any version the fuzzer wrote: versions only rise)
      await cloud.shadows.update(edge.gateway.thingName, 'policy', {
        state: { desired: { version: 1_000_000, policy: JSON.stringify(policyWithBudget({ chargers: 1 }, 16)) } },
      });
      await untilCloud(
        cloud,
        'the good policy applied',
        () => edge.agent.sync?.status().policy.inForce?.version === 1_000_000,
      );
      expect(edge.agent.controller.policy.budget.max).toBe(16);
    } finally {
      await edge.close();
    }
  }, 120_000);
});
