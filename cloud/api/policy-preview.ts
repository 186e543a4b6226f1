/**
 * POST /sites/{siteId}/policy/preview: runs the shared allocator on the site for a policy and a hypothetical request,
 * and, given where a demand period stands, under the chargers' cap peak-demand control gives them then.
 */
import { Hono } from 'hono';
import type { SiteSnapshot } from '../../shared/allocation/allocation-types';
import { demandPreview } from '../../shared/demand/demand-preview';
import { AppError, type FieldIssue } from '../../shared/errors';
import { siteConnectorRefs } from '../../shared/site/connector-ref';
import type { Site } from '../../shared/site/site-schema';
import type { ConnectorState } from '../../shared/site/site-state';
import type { ApiEnv, AppDeps } from './app-deps';
import { PreviewBodySchema, SiteParamsSchema, type PreviewBody } from './api-schemas';
import { assertPolicyFitsSite } from './policy-fit';
import { parseInput, parseParams, readJson } from './request-input';
import { loadFullSite } from './site-access';

const PREVIEW_SESSION_ID = 'preview-request';

/** The connector states to allocate for: the given ones plus the hypothetical car, every ref checked against the site. */
export function previewConnectors(site: Site, body: PreviewBody, now: number): ConnectorState[] {
  const refs = new Set(siteConnectorRefs(site));
  const issues: FieldIssue[] = [];
  body.connectors.forEach((state, i) => {
    if (!refs.has(state.ref))
      issues.push({ path: `connectors[${i}].ref`, message: `no connector "${state.ref}" on this site` });
  });
  const { request } = body;
  if (request && !refs.has(request.connector))
    issues.push({ path: 'request.connector', message: `no connector "${request.connector}" on this site` });
  if (request && body.connectors.some((state) => state.ref === request.connector && state.session !== undefined)) {
    issues.push({ path: 'request.connector', message: 'this connector already has a session in `connectors`' });
  }
  if (issues.length > 0)
    throw new AppError('state.invalid', 'the preview names connectors the site does not have', issues);
  if (!request) return body.connectors;
  const car: ConnectorState = {
    ref: request.connector,
    status: 'Charging',
    link: 'online',
    session: {
      id: PREVIEW_SESSION_ID,
      startedAt: now,
      energyWh: 0,
      ...(request.idTag !== undefined ? { idTag: request.idTag } : {}),
      ...(request.carPhases !== undefined ? { carPhases: request.carPhases } : {}),
      ...(request.measuredAmps !== undefined ? { measured: { amps: request.measuredAmps, at: now } } : {}),
    },
  };
  return [...body.connectors.filter((state) => state.ref !== request.connector), car];
}

export function policyPreviewRoutes(deps: AppDeps) {
  const { repositories } = deps;
  const app = new Hono<ApiEnv>();

  app.post('/sites/:siteId/policy/preview', async (c) => {
    const { siteId } = parseParams(c, SiteParamsSchema);
    const body = parseInput(PreviewBodySchema, await readJson(c), 'preview request', 'message.invalid');
    const caller = c.get('caller');
    const { site } = await loadFullSite(repositories, caller, siteId);
    // An edited policy the site would refuse is refused here too, not previewed as if it could run.
    if (body.policy) assertPolicyFitsSite(body.policy, site, 'policy.');
    const desired = body.policy ? undefined : await repositories.policies.getDesired(caller.tenantId, siteId);
    const policy = body.policy ?? desired?.policy;
    if (!policy)
      throw new AppError('policy.invalid', 'the site has no policy yet', [
        { path: 'policy', message: 'required: send the policy to preview' },
      ]);
    const demand = body.demand && demandPreview(policy, body.demand, site.nominalVolts, 'demand');
    if (demand && !demand.ok)
      throw new AppError('message.invalid', `invalid preview request: ${demand.issue.message}`, [demand.issue]);
    const now = body.at ?? deps.clock();
    const snapshot: SiteSnapshot = {
      site,
      connectors: previewConnectors(site, body, now),
      meters: body.meters,
      ...(demand && { chargerPowerCapW: demand.preview.chargersCapKw * 1000 }),
    };
    const allocation = deps.allocate(snapshot, policy, now);
    const requested = body.request
      ? (allocation.connectors.find((connector) => connector.ref === body.request?.connector) ?? null)
      : null;
    return c.json({
      policySource: body.policy ? 'body' : 'desired',
      policyVersion: desired?.version ?? null,
      at: now,
      request: requested,
      demand: demand?.preview ?? null,
      allocation,
    });
  });

  return app;
}
