/** The AWS clients and adapters the handlers share, built from the parsed environment (region and credentials come from the Lambda runtime). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeEndpointCommand, IoTClient } from '@aws-sdk/client-iot';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { pino, type Logger } from 'pino';
import { AppError } from '../../shared/errors';
import { createDocumentClient, createFleetRepositories } from '../db/create-repositories';
import { createDynamoDbMessageLedger } from '../ingest/dynamodb-message-ledger';
import type { IngestDeps } from '../ingest/ingest-deps';
import type { PresenceDeps } from '../ingest/record-presence';
import type { FleetRepositories } from '../ports/fleet-repositories';
import type { TableEnv } from './handler-env';

export interface TableDeps {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly repositories: FleetRepositories;
}

/** The fleet table's repositories (the SDK also honours `AWS_ENDPOINT_URL_DYNAMODB`, which tests use for the local server). */
export function createTableDeps(env: TableEnv): TableDeps {
  const documentClient = createDocumentClient(new DynamoDBClient({}));
  const retention = { telemetryDays: env.TELEMETRY_RETENTION_DAYS, eventDays: env.EVENT_RETENTION_DAYS };
  return {
    documentClient,
    tableName: env.TABLE_NAME,
    repositories: createFleetRepositories({ documentClient, tableName: env.TABLE_NAME, retention }),
  };
}

/** What ingest (site batches and lifecycle events) and shadow-sync need: the repositories and the message-id ledger on the same table. */
export function createIngestDeps(env: TableEnv): IngestDeps & PresenceDeps {
  const table = createTableDeps(env);
  return {
    repositories: table.repositories,
    ledger: createDynamoDbMessageLedger({ documentClient: table.documentClient, tableName: table.tableName }),
    clock: Date.now,
  };
}

/** The account's ATS data endpoint: the configured one, or DescribeEndpoint (once per container). */
export async function resolveIotDataEndpoint(
  configured: string | undefined,
  iot: IoTClient = new IoTClient({}),
): Promise<string> {
  if (configured !== undefined) return configured;
  try {
    const { endpointAddress } = await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }));
    if (!endpointAddress) throw new Error('DescribeEndpoint returned no address');
    return endpointAddress;
  } catch (error) {
    throw new AppError('internal', 'could not look up the IoT data endpoint', [], { cause: error });
  }
}

/** An IoT data-plane client on the account's own endpoint (shadow updates). */
export function createIotDataClient(endpoint: string): IoTDataPlaneClient {
  return new IoTDataPlaneClient({ endpoint: `https://${endpoint}` });
}

/** JSON logs to stdout, one line each, which CloudWatch Logs keeps as they are. */
export function createHandlerLogger(handler: string, env: Pick<TableEnv, 'LOG_LEVEL'>): Logger {
  return pino({ base: { handler }, level: env.LOG_LEVEL });
}
