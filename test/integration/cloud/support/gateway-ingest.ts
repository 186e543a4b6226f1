/** A site's gateway registered in the harness's cloud, and its streams ingested as the IoT rule's Lambda takes them. */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbMessageLedger } from '../../../../cloud/ingest/dynamodb-message-ledger';
import { ingestBatch } from '../../../../cloud/ingest/ingest-batch';
import { gatewayStreamTopic } from '../../../../shared/sync/sync-topics';
import { batch } from '../../../unit/cloud/ingest/site-batches';
import { type ApiHarness, NOW } from './api-harness';

export type GatewayIngest = (stream: 'telemetry' | 'events', ...messages: object[]) => ReturnType<typeof ingestBatch>;

/** Registers gateway `thingName` for `siteId` of `tenantId` and returns what ingests a batch of its messages. */
export async function gatewayIngest(
  h: ApiHarness,
  site: { readonly tenantId: string; readonly siteId: string; readonly thingName: string },
): Promise<GatewayIngest> {
  await h.local.repositories.gateways.create({
    ...site,
    credentialId: `cert-${site.siteId}`,
    status: 'active',
    createdAt: NOW,
  });
  const ledger = createDynamoDbMessageLedger({
    documentClient: DynamoDBDocumentClient.from(h.local.client),
    tableName: h.local.tableName,
  });
  const deps = { repositories: h.local.repositories, ledger, clock: () => NOW };
  return (stream, ...messages) =>
    ingestBatch(deps, {
      thingName: site.thingName,
      topic: gatewayStreamTopic(site.thingName, stream),
      payload: batch(...messages),
    });
}
