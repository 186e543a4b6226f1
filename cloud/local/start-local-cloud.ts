/**
 * Composition root of the local cloud: DynamoDB (Local or dynalite) with the fleet table, the demo tenant, site and
 * token, the MQTT broker with per-gateway access and lifecycle events, the shadow service, the IoT rules bridge and the
 * API, all on 127.0.0.1. Everything it starts is stopped by `stop()`, also when start-up fails half-way.
 */
import { randomUUID } from 'node:crypto';
import { createAllocator } from '../../shared/allocation/allocator';
import { DEFAULT_LIMITS } from '../api/app-deps';
import { createDocumentClient, createFleetRepositories } from '../db/create-repositories';
import { createLocalGatewayProvisioner, type LocalGatewayProvisioner } from '../adapters/local-gateway-provisioner';
import { createDynamoDbMessageLedger } from '../ingest/dynamodb-message-ledger';
import type { IngestDeps } from '../ingest/ingest-deps';
import type { PresenceDeps } from '../ingest/record-presence';
import type { FleetRepositories } from '../ports/fleet-repositories';
import { createBrokerAuth } from './broker-auth';
import { seedDemoFleet } from './demo-seed';
import { startDynamoDbServer, type DynamoDbEngine } from './dynamodb-server';
import { attachIotRulesBridge, type IotRulesBridge } from './iot-rules-bridge';
import { CONSOLE_BUNDLE_DIR } from '../console/serve-console';
import { startLocalApiServer } from './local-api-server';
import { localConsole } from './local-console';
import { createLocalPolicyPublisher } from './local-policy-publisher';
import { startMqttBroker, type MqttBroker } from './mqtt-broker';
import { startOnPort } from './port-fallback';
import { attachPresenceEvents } from './presence-events';
import { attachShadowService, type ShadowService } from './shadow/shadow-service';
import { createTokenIssuer, TENANT_CLAIM, type TokenIssuer } from './token-issuer';

/** pino-compatible. */
export interface LocalLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface LocalCloudOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly apiPort?: number;
  /** 0 (default) picks a free port; 1883 is MQTT's usual one. */
  readonly mqttPort?: number;
  readonly dynamoDbEngine?: DynamoDbEngine | 'auto';
  /** 0 (default) picks a free port. */
  readonly dynamoDbPort?: number;
  /** DynamoDB Local out of the terminal's Ctrl-C, for commands that stop the cloud on SIGINT (`ownProcessGroup` of startDynamoDbServer). */
  readonly ownProcessGroup?: boolean;
  /**
   * A wanted port (API, MQTT, DynamoDB) that is taken: listen on a free one and say so in `notices` (the CLI), instead
   * of failing with the option that chooses another (default).
   */
  readonly portFallback?: boolean;
  readonly tableName?: string;
  /** Days before telemetry and events expire (TTL). */
  readonly retention?: { readonly telemetryDays: number; readonly eventDays: number };
  /** Lifetime of the demo token (default 12 h). */
  readonly demoTokenTtlSeconds?: number;
  readonly logger?: LocalLogger;
  /** Epoch ms (default Date.now). */
  readonly clock?: () => number;
}

export interface LocalCloud {
  readonly apiUrl: string;
  /** The fleet console, served by the same server. */
  readonly consoleUrl: string;
  readonly mqttUrl: string;
  readonly mqttPort: number;
  /** The broker: its aedes instance (to watch what gateways publish) and the outage switch (`stop()` stops it for good). */
  readonly broker: Omit<MqttBroker, 'stop'>;
  readonly dynamoDb: { readonly engine: DynamoDbEngine; readonly endpoint: string; readonly tableName: string };
  readonly demo: { readonly tenantId: string; readonly siteId: string; readonly token: string };
  /** What the user should know about how it started (a part moved to a free port). */
  readonly notices: readonly string[];
  /** The parts, for tests and the edge demo. */
  readonly repositories: FleetRepositories;
  readonly gatewayProvisioner: LocalGatewayProvisioner;
  readonly shadows: ShadowService;
  readonly bridge: IotRulesBridge;
  /** What the bridge runs ingest with (the same deps the ingest and shadow-sync Lambdas get). */
  readonly ingest: IngestDeps & PresenceDeps;
  readonly tokens: TokenIssuer;
  stop(): Promise<void>;
}

const SILENT: LocalLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  // The SDK's documented switch for its warning that Node 20 is past its end of life, printed for every client it
  // makes: the README states the Node versions instead. An explicit value in the environment is kept.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? SILENT;
  const clock = options.clock ?? Date.now;
  const tableName = options.tableName ?? 'ampshare-local';
  const notices: string[] = [];
  const onMoved = (notice: string) => {
    notices.push(notice);
    logger.info({}, notice);
  };
  const fallback = options.portFallback ?? false;
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.splice(0).reverse()) {
      try {
        await stopOne();
      } catch (error) {
        logger.error({ err: error }, 'local cloud part did not stop cleanly');
      }
    }
  };

  try {
    const dynamo = await startOnPort(
      { part: 'DynamoDB', wanted: options.dynamoDbPort ?? 0, option: '--dynamodb-port', fallback },
      (port) =>
        startDynamoDbServer({
          engine: options.dynamoDbEngine ?? 'auto',
          tableName,
          port,
          ownProcessGroup: options.ownProcessGroup ?? false,
        }),
      onMoved,
    );
    stoppers.push(() => dynamo.stop());
    const client = dynamo.createClient();
    stoppers.push(() => Promise.resolve(client.destroy()));
    const documentClient = createDocumentClient(client);
    const repositories = createFleetRepositories({
      documentClient,
      tableName,
      retention: options.retention ?? { telemetryDays: 30, eventDays: 90 },
    });

    const tokens = await createTokenIssuer({ now: clock });
    const { tenantId, siteId } = await seedDemoFleet(repositories, clock());
    const token = await tokens.issue({
      tenantId,
      ...(options.demoTokenTtlSeconds !== undefined ? { ttlSeconds: options.demoTokenTtlSeconds } : {}),
    });

    // The broker's password check needs the provisioner, and the provisioner hands out the broker's URL.
    const issued: { provisioner?: LocalGatewayProvisioner } = {};
    const auth = createBrokerAuth({
      authenticate: (username, password) => issued.provisioner?.authenticate(username, password) ?? false,
      gateways: repositories.gateways,
      logger,
    });
    const broker = await startOnPort(
      { part: 'MQTT broker', wanted: options.mqttPort ?? 0, option: '--mqtt-port', fallback },
      (port) => startMqttBroker({ host, port, auth, logger }),
      onMoved,
    );
    stoppers.push(() => broker.stop());
    const provisioner = createLocalGatewayProvisioner({ brokerUrl: broker.url });
    issued.provisioner = provisioner;

    const shadows = attachShadowService({ aedes: broker.aedes, clock, logger });
    stoppers.push(() => Promise.resolve(shadows.detach()));
    const ledger = createDynamoDbMessageLedger({ documentClient, tableName });
    const ingest: IngestDeps & PresenceDeps = { repositories, ledger, clock };
    const bridge = attachIotRulesBridge({ aedes: broker.aedes, ingest, logger });
    stoppers.push(() => bridge.stop());
    // After the bridge, so that it hears every lifecycle event; detached before the bridge stops.
    const presence = attachPresenceEvents({ aedes: broker.aedes, clock, logger });
    stoppers.push(() => Promise.resolve(presence.detach()));

    const apiDeps = {
      repositories,
      auth: {
        key: tokens.publicKey,
        issuer: tokens.issuer,
        audience: tokens.audience,
        tenantClaim: TENANT_CLAIM,
        algorithms: ['ES256' as const],
      },
      gatewayProvisioner: provisioner,
      policyPublisher: createLocalPolicyPublisher({ shadows }),
      allocate: createAllocator(),
      clock,
      randomId: () => randomUUID(),
      logger,
      limits: DEFAULT_LIMITS,
    };
    const consoleApp = localConsole({
      distDir: CONSOLE_BUNDLE_DIR,
      issueDevToken: (tenant) => tokens.issue({ tenantId: tenant }),
    });
    const api = await startOnPort(
      { part: 'API and console', wanted: options.apiPort ?? 0, option: '--api-port', fallback },
      (port) => startLocalApiServer(apiDeps, { host, port, console: consoleApp }),
      onMoved,
    );
    stoppers.push(() => api.stop());

    return {
      apiUrl: api.url,
      consoleUrl: `${api.url}/console/`,
      mqttUrl: broker.url,
      mqttPort: broker.port,
      broker,
      dynamoDb: { engine: dynamo.engine, endpoint: dynamo.endpoint, tableName },
      demo: { tenantId, siteId, token },
      notices,
      repositories,
      gatewayProvisioner: provisioner,
      shadows,
      bridge,
      ingest,
      tokens,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
