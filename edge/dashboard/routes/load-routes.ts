/** Load management and allocations: the policy in force and saving one; the live allocation and "Test Request Allocation". */
import { Hono } from 'hono';
import { PolicySchema } from '../../../shared/policy/policy-schema';
import type { PolicyAnswer, PreviewAnswer } from '../../../shared/dashboard/api-answers';
import { PreviewRequestSchema } from './api-requests';
import { allocationsAnswer } from '../views/allocation-views';
import type { DashboardServices } from '../dashboard-services';
import type { DashboardEnv } from '../http/dashboard-env';
import { jsonBody } from '../http/json-input';
import { previewRequest } from '../actions/request-preview';
import { eventLine } from '../live/event-line';

export function loadRoutes(services: DashboardServices) {
  const { deps, audit } = services;
  const policyAnswer = (): PolicyAnswer => ({
    policy: deps.control.policy,
    source: services.policy.source(),
    cloudLinked: deps.cloud !== undefined,
  });

  const app = new Hono<DashboardEnv>();
  app.get('/policy', (c) => c.json(policyAnswer()));
  app.put('/policy', async (c) => {
    const policy = await jsonBody(c, PolicySchema, 'policy', 'policy.invalid');
    const before = deps.control.policy;
    services.policy.apply(policy);
    audit.change(c, 'policy.update', { before, after: policy });
    deps.feed.addEvent(
      eventLine(deps.clock.now(), 'info', { reason: 'event.source.policy' }, { reason: 'event.policySaved' }),
    );
    return c.json(policyAnswer());
  });
  app.get('/allocations', (c) => c.json(services.allocations()));
  app.post('/allocations/preview', async (c) => {
    const request = await jsonBody(c, PreviewRequestSchema, 'test request');
    const now = deps.clock.now();
    const snapshot = deps.control.snapshot();
    const allocation = previewRequest(snapshot, deps.control.policy, request, now, deps.allocate);
    const answer = allocationsAnswer(allocation, {
      site: deps.reader.site,
      snapshot,
      chargers: deps.chargers,
      activity: deps.feed.activity,
    });
    return c.json<PreviewAnswer>({ ...answer, requestRef: request.connector });
  });
  return app;
}
