/**
 * Local stack only: `POST dev-login {tenantId}` answers a token from the local token issuer, so the console can be
 * used without pasting one. Only cloud/local/ mounts it (see local-console.ts); nothing a Lambda handler or the CDK
 * app loads reaches this file (test/unit/cloud/console/dev-login-scope.test.ts), and in AWS the console is static
 * files and Cognito signs users in.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { IdSchema } from '../../shared/site/site-schema';

export type IssueDevToken = (tenantId: string) => Promise<string>;

const DevLoginBodySchema = z.object({ tenantId: IdSchema }).strict();

export function devLoginRoutes(issue: IssueDevToken) {
  const app = new Hono();
  app.post('/dev-login', async (c) => {
    const body = DevLoginBodySchema.safeParse(await c.req.json().catch(() => null));
    if (!body.success) {
      return c.json(
        {
          error: 'message.invalid',
          message: 'expected {"tenantId": "<id>"}',
          details: [{ path: 'tenantId', message: 'a tenant id is required' }],
        },
        400,
      );
    }
    return c.json({ token: await issue(body.data.tenantId) });
  });
  return app;
}
