/** Gateways of a site: register one (thing + credential through the provisioner), list them, revoke one. */
import { Hono } from 'hono';
import { AppError } from '../../shared/errors';
import type { GatewayRegistration } from '../ports/gateway-repository';
import type { ApiEnv, AppDeps } from './app-deps';
import { GatewayParamsSchema, SiteParamsSchema } from './api-schemas';
import { pushDesired } from './policy-push';
import { parseParams } from './request-input';
import { requireSite } from './site-access';

/** A thing name unique in the account even when two tenants use the same site id. */
export function gatewayThingName(siteId: string, randomId: string): string {
  return `amp-${siteId.replace(/[^A-Za-z0-9_-]/g, '_')}-${randomId.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}`;
}

const registrationView = ({ tenantId: _tenant, ...registration }: GatewayRegistration) => ({
  ...registration,
  revokedAt: registration.revokedAt ?? null,
});

export function gatewayRoutes(deps: AppDeps) {
  const { repositories } = deps;
  const app = new Hono<ApiEnv>();

  app.get('/sites/:siteId/gateways', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const caller = c.get('caller');
    await requireSite(repositories, caller, siteId);
    const items = await repositories.gateways.listForSite(caller.tenantId, siteId);
    return c.json({ items: items.map(registrationView) });
  });

  app.post('/sites/:siteId/gateways', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const caller = c.get('caller');
    const site = await requireSite(repositories, caller, siteId);
    if (site.gatewayThingName !== undefined) {
      throw new AppError(
        'resource.conflict',
        `site "${siteId}" already has gateway "${site.gatewayThingName}": revoke it first`,
      );
    }
    const thingName = gatewayThingName(siteId, deps.randomId());
    const credentials = await deps.gatewayProvisioner.register({ tenantId: caller.tenantId, siteId, thingName });
    const now = deps.clock();
    const registration: GatewayRegistration = {
      tenantId: caller.tenantId,
      siteId,
      thingName,
      credentialId: credentials.credentialId,
      status: 'active',
      createdAt: now,
    };
    try {
      await repositories.gateways.create(registration);
      await repositories.sites.setGateway(caller.tenantId, siteId, thingName, now);
    } catch (error) {
      // Without a record nobody could revoke this credential later, so it must not outlive the failure.
      await deps.gatewayProvisioner
        .revoke({ thingName, credentialId: credentials.credentialId })
        .catch((undo: unknown) => {
          deps.logger.error({ err: undo, thingName }, 'could not undo a gateway registration');
        });
      throw error;
    }
    // A new gateway starts from the site's current desired policy.
    const desired = await repositories.policies.getDesired(caller.tenantId, siteId);
    const push = desired
      ? await pushDesired(deps, { ...site, gatewayThingName: thingName }, desired)
      : { status: 'skipped' as const, message: 'the site has no policy yet' };
    c.header('Cache-Control', 'no-store');
    return c.json({ registration: registrationView(registration), credentials, policyPush: push }, 201);
  });

  app.delete('/sites/:siteId/gateways/:thingName', async (c) => {
    const { siteId, thingName } = parseParams(c, GatewayParamsSchema);
    const caller = c.get('caller');
    const site = await requireSite(repositories, caller, siteId);
    const registration = await repositories.gateways.get(caller.tenantId, siteId, thingName);
    if (!registration) throw new AppError('resource.notFound', `gateway "${thingName}" not found`);
    if (registration.status === 'revoked')
      throw new AppError('resource.conflict', `gateway "${thingName}" is already revoked`);
    await deps.gatewayProvisioner.revoke({ thingName, credentialId: registration.credentialId });
    const now = deps.clock();
    await repositories.gateways.markRevoked(caller.tenantId, siteId, thingName, now);
    if (site.gatewayThingName === thingName) {
      await repositories.sites.setGateway(caller.tenantId, siteId, null, now);
      // Its connects and disconnects no longer count, so what they said no longer holds.
      await repositories.sites.setConnectivity(caller.tenantId, siteId, { state: 'unknown', since: now });
    }
    return c.json({ registration: registrationView({ ...registration, status: 'revoked', revokedAt: now }) });
  });

  return app;
}
