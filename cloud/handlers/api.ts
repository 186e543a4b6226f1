/** Lambda entry of the fleet HTTP API: API Gateway HTTP API events (payload 2.0) through Hono's AWS Lambda adapter. */
import { randomUUID } from 'node:crypto';
import { IoTClient } from '@aws-sdk/client-iot';
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { createRemoteJWKSet } from 'jose';
import { z } from 'zod';
import { createAllocator } from '../../shared/allocation/allocator';
import { parseOrThrow } from '../../shared/validation';
import { createIotGatewayProvisioner } from '../adapters/iot-gateway-provisioner';
import { createIotPolicyPublisher } from '../adapters/iot-policy-publisher';
import { DEFAULT_LIMITS } from '../api/app-deps';
import { createApp } from '../api/create-app';
import { createHandlerLogger, createIotDataClient, createTableDeps, resolveIotDataEndpoint } from './aws-deps';
import { ApiEnvSchema, parseHandlerEnv } from './handler-env';
import { oncePerContainer } from './once-per-container';

/** The fields of an HTTP API payload 2.0 event the adapter reads; API Gateway adds more, which pass through. */
const HttpApiEventSchema = z
  .object({
    version: z.literal('2.0'),
    rawPath: z.string().startsWith('/'),
    rawQueryString: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.string().optional(),
    isBase64Encoded: z.boolean(),
    requestContext: z.object({ http: z.object({ method: z.string().min(1) }).loose() }).loose(),
  })
  .loose();

const app = oncePerContainer(async () => {
  const env = parseHandlerEnv(ApiEnvSchema);
  const endpoint = await resolveIotDataEndpoint(env.IOT_DATA_ENDPOINT);
  const fleetApp = createApp({
    repositories: createTableDeps(env).repositories,
    auth: {
      key: createRemoteJWKSet(new URL(env.AUTH_JWKS_URL ?? `${env.AUTH_ISSUER}/.well-known/jwks.json`)),
      issuer: env.AUTH_ISSUER,
      tenantClaim: env.AUTH_TENANT_CLAIM,
      algorithms: env.AUTH_ALGORITHMS,
      ...(env.AUTH_AUDIENCE !== undefined ? { audience: env.AUTH_AUDIENCE } : {}),
    },
    gatewayProvisioner: createIotGatewayProvisioner({
      iot: new IoTClient({}),
      policyName: env.IOT_POLICY_NAME,
      endpoint,
      ...(env.IOT_THING_TYPE_NAME !== undefined ? { thingTypeName: env.IOT_THING_TYPE_NAME } : {}),
    }),
    policyPublisher: createIotPolicyPublisher({ iotData: createIotDataClient(endpoint) }),
    allocate: createAllocator(),
    clock: Date.now,
    randomId: randomUUID,
    logger: createHandlerLogger('api', env),
    limits: {
      ...DEFAULT_LIMITS,
      ...(env.MAX_ROLLOUT_SITES !== undefined ? { maxRolloutSites: env.MAX_ROLLOUT_SITES } : {}),
    },
  });
  return handle(fleetApp);
});

export async function handler(event: unknown, context?: LambdaContext) {
  const httpEvent = parseOrThrow(HttpApiEventSchema, event, 'message.invalid', 'API Gateway HTTP API event');
  return (await app())(httpEvent as unknown as LambdaEvent, context);
}
