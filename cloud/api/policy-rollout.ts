/** POST /policies/rollout: one policy to many sites of the caller's tenant, with a result per site (never all-or-nothing). */
import { Hono } from 'hono';
import { AppError, type FieldIssue } from '../../shared/errors';
import type { Policy } from '../../shared/policy/policy-schema';
import { englishMessage, type MessageParams } from '../../shared/server-messages';
import type { ApiEnv, AppDeps, Caller } from './app-deps';
import { RolloutBodySchema } from './api-schemas';
import { assertPushable } from '../ports/policy-publisher';
import { writeAndPush, type PushResult } from './policy-push';
import { parseInput, readJson } from './request-input';

export interface RolloutResult {
  readonly siteId: string;
  /** `invalid`: the policy names connectors this site lacks (`details` has their paths); nothing was written to it. */
  readonly status: 'updated' | 'notFound' | 'invalid' | 'conflict' | 'failed';
  readonly version?: number;
  readonly push?: PushResult;
  /** English; `reason` and `params` say it for the console's language, as `details` do each bad field. */
  readonly message?: string;
  readonly reason?: string;
  readonly params?: MessageParams;
  readonly details?: readonly FieldIssue[];
}

/** Sites are written a few at a time: enough to finish 100 sites inside an API Gateway timeout, gentle on the table. */
const CONCURRENCY = 8;

async function rolloutOne(deps: AppDeps, caller: Caller, siteId: string, policy: Policy): Promise<RolloutResult> {
  try {
    const site = await deps.repositories.sites.get(caller.tenantId, siteId);
    if (!site) return { siteId, status: 'notFound' };
    // A rollout overrides whatever version the site is at; only a concurrent writer makes it a conflict.
    const current = await deps.repositories.policies.getDesired(caller.tenantId, siteId);
    const { desired, push } = await writeAndPush(deps, site, {
      policy,
      expectedVersion: current?.version ?? 0,
      source: 'rollout',
      ...(caller.subject ? { author: caller.subject } : {}),
    });
    return { siteId, status: 'updated', version: desired.version, push };
  } catch (error) {
    if (AppError.match(error, 'resource.conflict'))
      return { siteId, status: 'conflict', message: error.message, ...error.ref };
    if (AppError.match(error, 'policy.invalid'))
      return { siteId, status: 'invalid', message: error.message, details: error.details };
    deps.logger.error({ err: error, siteId }, 'policy rollout failed for a site');
    return { siteId, status: 'failed', message: englishMessage({ reason: 'push.failed' }), reason: 'push.failed' };
  }
}

export function policyRolloutRoutes(deps: AppDeps) {
  const app = new Hono<ApiEnv>();

  app.post('/policies/rollout', async (c) => {
    const body = parseInput(RolloutBodySchema, await readJson(c), 'rollout', 'policy.invalid');
    if (body.siteIds.length > deps.limits.maxRolloutSites) {
      throw new AppError('policy.invalid', 'too many sites in one rollout', [
        { path: 'siteIds', message: `at most ${deps.limits.maxRolloutSites}` },
      ]);
    }
    // Checked once for all sites, at the largest version a site can have, so no site gets a policy it cannot receive.
    assertPushable({ version: Number.MAX_SAFE_INTEGER, policy: body.policy }, 'policy');
    const caller = c.get('caller');
    const results: RolloutResult[] = new Array<RolloutResult>(body.siteIds.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < body.siteIds.length; i = next++)
        results[i] = await rolloutOne(deps, caller, body.siteIds[i]!, body.policy);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, body.siteIds.length) }, worker));
    const summary = { updated: results.filter((r) => r.status === 'updated').length, total: results.length };
    return c.json({ summary, results });
  });

  return app;
}
