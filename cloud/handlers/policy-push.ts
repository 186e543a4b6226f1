/**
 * Lambda entry that (re)publishes the current desired policy of many sites of one tenant to their gateways' `policy`
 * shadows. Invoked asynchronously (InvocationType Event) for a large rollout or to catch up after an IoT outage; the
 * publishing itself is the API's `pushDesired` on the IoT data-plane publisher, so there is one implementation of it.
 * Idempotent: it pushes the version already stored, which the edge ignores when it has it.
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { IdSchema } from '../../shared/site/site-schema';
import { parseOrThrow } from '../../shared/validation';
import { createIotPolicyPublisher } from '../adapters/iot-policy-publisher';
import { pushDesired, type PushResult } from '../api/policy-push';
import type { AppDeps } from '../api/app-deps';
import { createHandlerLogger, createIotDataClient, createTableDeps, resolveIotDataEndpoint } from './aws-deps';
import { parseHandlerEnv, PolicyPushEnvSchema } from './handler-env';
import { oncePerContainer } from './once-per-container';

/** Most sites per invocation: 1,000 pushes at 8 in flight finish well inside the function's timeout. */
export const MAX_PUSH_SITES = 1000;
/** Shadow updates in flight at once (IoT's UpdateThingShadow limit per account is in the hundreds per second). */
const CONCURRENCY = 8;

export const PolicyPushEventSchema = z
  .object({ tenantId: IdSchema, siteIds: z.array(IdSchema).min(1).max(MAX_PUSH_SITES) })
  .strict();
export type PolicyPushEvent = z.output<typeof PolicyPushEventSchema>;

export interface SitePushResult {
  readonly siteId: string;
  /** `notFound`: no such site in the tenant; `noPolicy`: nothing to push yet. */
  readonly status: PushResult['status'] | 'notFound' | 'noPolicy';
  readonly version?: number;
}

type PushDeps = Pick<AppDeps, 'repositories' | 'policyPublisher' | 'logger'>;

const deps = oncePerContainer<PushDeps>(async () => {
  const env = parseHandlerEnv(PolicyPushEnvSchema);
  const iotData = createIotDataClient(await resolveIotDataEndpoint(env.IOT_DATA_ENDPOINT));
  return {
    repositories: createTableDeps(env).repositories,
    policyPublisher: createIotPolicyPublisher({ iotData }),
    logger: createHandlerLogger('policy-push', env),
  };
});

async function pushSite(pushDeps: PushDeps, tenantId: string, siteId: string): Promise<SitePushResult> {
  const site = await pushDeps.repositories.sites.get(tenantId, siteId);
  if (!site) return { siteId, status: 'notFound' };
  const desired = await pushDeps.repositories.policies.getDesired(tenantId, siteId);
  if (!desired) return { siteId, status: 'noPolicy' };
  const push = await pushDesired(pushDeps, site, desired);
  return { siteId, status: push.status, version: desired.version };
}

/** Pushes every site of `event`, a few at a time; the results are in the order of `siteIds`. */
async function pushPolicies(pushDeps: PushDeps, event: PolicyPushEvent): Promise<SitePushResult[]> {
  const siteIds = [...new Set(event.siteIds)];
  const results: SitePushResult[] = [];
  for (let start = 0; start < siteIds.length; start += CONCURRENCY) {
    const chunk = siteIds.slice(start, start + CONCURRENCY);
    results.push(...(await Promise.all(chunk.map((siteId) => pushSite(pushDeps, event.tenantId, siteId)))));
  }
  return results;
}

/**
 * Fails the invocation when a push failed, so that Lambda's asynchronous retries push again (harmless for the sites
 * that already have the version).
 */
export async function handler(event: unknown): Promise<{ results: SitePushResult[] }> {
  const request = parseOrThrow(PolicyPushEventSchema, event, 'message.invalid', 'policy push event');
  const results = await pushPolicies(await deps(), request);
  const failed = results.filter((result) => result.status === 'failed').map((result) => result.siteId);
  if (failed.length > 0)
    throw new AppError(
      'internal',
      `policy push failed for ${failed.length} of ${results.length} sites: ${failed.join(', ')}`,
    );
  return { results };
}
