/** What the handler tests share: the Lambda-like environment on a local DynamoDB server, and a site with a registered gateway. */
import { SiteSchema } from '../../../../shared/site/site-schema';
import { gatewayStreamTopic } from '../../../../shared/sync/sync-topics';
import { siteInput } from '../support/fleet-builders';
import type { LocalFleetTable } from '../support/local-fleet-table';

/** Points the handlers' AWS SDK clients at the local server through the environment, as a Lambda's would be. */
export function useLocalTableEnvironment(local: LocalFleetTable, extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    // The SDK's own service-specific endpoint variable: the handlers need no test-only switch.
    AWS_ENDPOINT_URL_DYNAMODB: local.server.endpoint,
    TABLE_NAME: local.tableName,
    LOG_LEVEL: 'silent',
    ...extra,
  });
}

/** A site of `tenantId`, with an active gateway `thingName` when given. */
export async function seedSite(
  local: LocalFleetTable,
  input: { tenantId: string; siteId: string; thingName?: string; at: number },
): Promise<void> {
  const { chargers: _chargers, ...config } = SiteSchema.parse(siteInput(input.siteId));
  const { tenantId, siteId, thingName, at } = input;
  await local.repositories.sites.create({
    tenantId,
    config,
    connectivity: { state: 'unknown', since: at },
    createdAt: at,
    updatedAt: at,
  });
  if (thingName === undefined) return;
  await local.repositories.gateways.create({
    tenantId,
    siteId,
    thingName,
    credentialId: `cert-${siteId}`,
    status: 'active',
    createdAt: at,
  });
  await local.repositories.sites.setGateway(tenantId, siteId, thingName, at);
}

/** An SQS event with one batch of `thingName`'s telemetry stream, as the IoT rule queues it for the ingest handler. */
export function queuedTelemetry(thingName: string, ...messages: readonly { readonly messageId: string }[]) {
  return {
    Records: [
      {
        messageId: `q-${messages[0]?.messageId ?? 'empty'}`,
        body: JSON.stringify({
          payload: Buffer.from(JSON.stringify({ v: 1, messages })).toString('base64'),
          topic: gatewayStreamTopic(thingName, 'telemetry'),
          clientId: thingName,
        }),
        attributes: {},
        eventSource: 'aws:sqs',
      },
    ],
  };
}
