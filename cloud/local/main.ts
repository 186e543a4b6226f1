/**
 * `tsx cloud/local/main.ts [--api-port N] [--mqtt-port N] [--dynamodb auto|dynamodb-local|dynalite] [--dynamodb-port N]`:
 * runs the local cloud until Ctrl-C and prints where everything is. A taken port (a second local cloud) moves that
 * part to a free port, with a line saying so.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import { parseOrThrow } from '../../shared/validation';
import { startLocalCloud } from './start-local-cloud';

const port = z.coerce.number().int().min(0).max(65_535);
const ArgsSchema = z
  .object({
    'api-port': port.default(8787),
    'mqtt-port': port.default(1883),
    dynamodb: z.enum(['auto', 'dynamodb-local', 'dynalite']).default('auto'),
    'dynamodb-port': port.default(0),
    'log-level': z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('warn'),
  })
  .strict();

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'api-port': { type: 'string' },
      'mqtt-port': { type: 'string' },
      dynamodb: { type: 'string' },
      'dynamodb-port': { type: 'string' },
      'log-level': { type: 'string' },
    },
    strict: true,
  });
  const args = parseOrThrow(ArgsSchema, values, 'config.invalid', 'command line');
  const logger = pino({ level: args['log-level'] });
  const cloud = await startLocalCloud({
    apiPort: args['api-port'],
    mqttPort: args['mqtt-port'],
    dynamoDbEngine: args.dynamodb,
    dynamoDbPort: args['dynamodb-port'],
    portFallback: true,
    // Ctrl-C stops the parts in order (below), DynamoDB Local last
    ownProcessGroup: true,
    logger,
  });

  process.stdout.write(
    [
      'Ampshare local cloud is running:',
      `  Console   ${cloud.consoleUrl}   (sign in as tenant "${cloud.demo.tenantId}")`,
      `  API       ${cloud.apiUrl}   (OpenAPI: ${cloud.apiUrl}/openapi.json)`,
      `  MQTT      ${cloud.mqttUrl}   (MQTT 3.1.1; register a gateway: POST ${cloud.apiUrl}/sites/${cloud.demo.siteId}/gateways)`,
      `  DynamoDB  ${cloud.dynamoDb.endpoint}   (${cloud.dynamoDb.engine}, table ${cloud.dynamoDb.tableName})`,
      `  Tenant    ${cloud.demo.tenantId}, site ${cloud.demo.siteId}`,
      `  Token     ${cloud.demo.token}`,
      '',
      `  curl -H "Authorization: Bearer $TOKEN" ${cloud.apiUrl}/sites`,
      ...cloud.notices.map((notice) => `  Note: ${notice}`),
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the local cloud…\n`);
    cloud.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`local cloud did not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
