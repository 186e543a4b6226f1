/**
 * The api Lambda handler end to end: an API Gateway HTTP API (payload 2.0) event through the real Hono app, on the
 * real local DynamoDB, with tokens checked against a JWKS served over HTTP as Cognito would serve it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../../../cloud/handlers/api';
import { createTokenIssuer, type TokenIssuer } from '../../../../cloud/local/token-issuer';
import { siteInput } from '../support/fleet-builders';
import { startLocalFleetTable, type LocalFleetTable } from '../support/local-fleet-table';
import { useLocalTableEnvironment } from './handler-fixtures';

let local: LocalFleetTable;
let jwksServer: Server;
let issuer: TokenIssuer;

beforeAll(async () => {
  local = await startLocalFleetTable('ampshare-api-handler');
  let jwks: () => Promise<unknown> = () => Promise.resolve({ keys: [] });
  jwksServer = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
    void jwks().then((body) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
    );
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  issuer = await createTokenIssuer({ issuer: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}` });
  jwks = () => issuer.jwks();
  useLocalTableEnvironment(local, {
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
    AUTH_TENANT_CLAIM: 'tenant',
    AUTH_ALGORITHMS: 'ES256',
    IOT_POLICY_NAME: 'ampshare-gateway',
    IOT_DATA_ENDPOINT: 'example-ats.iot.eu-west-1.amazonaws.com',
  });
  await local.repositories.tenants.put({ id: 'acme', name: 'Acme', status: 'active', createdAt: Date.now() });
});

afterAll(async () => {
  await new Promise((resolve) => jwksServer.close(resolve));
  await local.stop();
});

function httpEvent(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {
      host: 'api.example.com',
      ...headers,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: '03/Mar/2025:10:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  };
}

const bearer = async () => ({ authorization: `Bearer ${await issuer.issue({ tenantId: 'acme' })}` });

describe('api Lambda handler', () => {
  it('should answer 401 with a JSON error when there is no token', async () => {
    const response = await handler(httpEvent('GET', '/sites'));
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({
      error: expect.any(String) as unknown,
      message: 'missing bearer token',
    });
  });

  it("should create and read a site of the caller's tenant with a valid token", async () => {
    const created = await handler(httpEvent('POST', '/sites', await bearer(), siteInput('site-1')));
    expect(created.statusCode).toBe(201);
    const read = await handler(httpEvent('GET', '/sites/site-1', await bearer()));
    expect(read.statusCode).toBe(200);
    expect(JSON.parse(read.body)).toMatchObject({ id: 'site-1' });
    expect((await local.repositories.sites.get('acme', 'site-1'))?.config.name).toBe('Site site-1');
  });

  it.each(['/console/dev-login', '/dev-login'])(
    "should answer 404 to POST %s even with a valid token: the dev login is the local stack's only",
    async (path) => {
      const response = await handler(httpEvent('POST', path, await bearer(), { tenantId: 'acme' }));
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toMatch(/token/);
    },
  );

  it('should serve the OpenAPI description without a token', async () => {
    const response = await handler(httpEvent('GET', '/openapi.json'));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toHaveProperty('openapi');
  });
});
