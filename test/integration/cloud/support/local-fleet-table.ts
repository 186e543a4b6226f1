/** Starts a real local DynamoDB with the fleet table for one test file, and builds the repositories on it. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient, createFleetRepositories } from '../../../../cloud/db/create-repositories';
import { startDynamoDbServer, type DynamoDbServer } from '../../../../cloud/local/dynamodb-server';
import type { FleetRepositories } from '../../../../cloud/ports/fleet-repositories';

export interface LocalFleetTable {
  readonly server: DynamoDbServer;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly repositories: FleetRepositories;
  stop(): Promise<void>;
}

export const RETENTION = { telemetryDays: 30, eventDays: 90 };

export async function startLocalFleetTable(tableName = 'ampshare-test'): Promise<LocalFleetTable> {
  const server = await startDynamoDbServer({ tableName });
  const client = server.createClient();
  const repositories = createFleetRepositories({
    documentClient: createDocumentClient(client),
    tableName,
    retention: RETENTION,
  });
  return {
    server,
    client,
    tableName,
    repositories,
    stop: async () => {
      client.destroy();
      await server.stop();
    },
  };
}
