/** Writes a site's desired policy and pushes it to the site's gateway: the write is the truth, the push is best effort. */
import type { Policy } from '../../shared/policy/policy-schema';
import { englishMessage, type ServerReason } from '../../shared/server-messages';
import { assertPushable } from '../ports/policy-publisher';
import type { PolicySource, PolicyVersionRecord } from '../ports/policy-repository';
import type { SiteRecord } from '../ports/site-repository';
import type { AppDeps } from './app-deps';
import { assertPolicyFitsSite } from './policy-fit';

export interface PushResult {
  /** `skipped`: the site has no gateway yet (it gets the policy when one registers); `failed`: retry by writing again. */
  readonly status: 'sent' | 'skipped' | 'failed';
  /** English; `reason` says it for the console's language (shared/server-messages.ts `push.*`). */
  readonly message?: string;
  readonly reason?: ServerReason;
}

const said = (reason: ServerReason) => ({ message: englishMessage({ reason }), reason });

/** Publishes a desired version to the site's gateway, reporting (not throwing) a failed push. */
export async function pushDesired(
  deps: Pick<AppDeps, 'policyPublisher' | 'logger'>,
  site: SiteRecord,
  desired: PolicyVersionRecord,
): Promise<PushResult> {
  if (site.gatewayThingName === undefined) return { status: 'skipped', ...said('push.noGateway') };
  try {
    await deps.policyPublisher.publishDesired(
      { thingName: site.gatewayThingName, tenantId: site.tenantId, siteId: site.config.id },
      desired,
    );
    return { status: 'sent' };
  } catch (error) {
    deps.logger.warn({ err: error, siteId: site.config.id, version: desired.version }, 'policy push failed');
    return { status: 'failed', ...said('push.unreachable') };
  }
}

/** Saves and pushes a new desired version, unless it is too large to push or names connectors the site lacks. */
export async function writeAndPush(
  deps: Pick<AppDeps, 'repositories' | 'policyPublisher' | 'logger' | 'clock'>,
  site: SiteRecord,
  input: { policy: Policy; expectedVersion: number; author?: string; source: PolicySource },
): Promise<{ desired: PolicyVersionRecord; push: PushResult }> {
  assertPushable({ version: input.expectedVersion + 1, policy: input.policy }, 'policy');
  assertPolicyFitsSite(input.policy, {
    id: site.config.id,
    chargers: await deps.repositories.chargers.list(site.tenantId, site.config.id),
  });
  const desired = await deps.repositories.policies.putDesired(
    { tenantId: site.tenantId, siteId: site.config.id, ...input },
    deps.clock(),
  );
  return { desired, push: await pushDesired(deps, site, desired) };
}

export function desiredView(record: PolicyVersionRecord) {
  return {
    version: record.version,
    policy: record.policy,
    createdAt: record.createdAt,
    author: record.author ?? null,
    source: record.source,
  };
}
