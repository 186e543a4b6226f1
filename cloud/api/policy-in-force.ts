/**
 * The policy a site runs, as far as the cloud knows: what the fleet console's editor starts from and compares a push
 * with (docs/console.md, "Policy"). The version the cloud pushed and the site acknowledged applying, or, when the
 * site runs something the cloud did not push (its configuration file, an edit on its dashboard, the policy it kept
 * after refusing a push), the policy its own shadow report carries. Unknown (null) when the site never reported.
 */
import type { Policy } from '../../shared/policy/policy-schema';
import type { AppliedPolicyRecord, PolicyRepository, PolicyVersionRecord } from '../ports/policy-repository';

export interface PolicyInForce {
  /** `acknowledged`: a pushed version the site reported applied; `siteReport`: the policy the site's report carries. */
  readonly basis: 'acknowledged' | 'siteReport';
  readonly version: number;
  readonly source: NonNullable<AppliedPolicyRecord['source']>;
  readonly reportedAt: number;
  readonly policy: Policy;
}

/** The version the site acknowledged, from the newest desired one or the history. */
async function acknowledgedVersion(
  policies: PolicyRepository,
  applied: AppliedPolicyRecord,
  desired: PolicyVersionRecord | undefined,
): Promise<PolicyVersionRecord | undefined> {
  if (desired?.version === applied.version) return desired;
  const { items } = await policies.history(applied.tenantId, applied.siteId, {
    limit: 1,
    beforeVersion: applied.version + 1,
  });
  return items[0]?.version === applied.version ? items[0] : undefined;
}

export async function policyInForce(
  policies: PolicyRepository,
  desired: PolicyVersionRecord | undefined,
  applied: AppliedPolicyRecord | undefined,
): Promise<PolicyInForce | null> {
  if (applied === undefined) return null;
  // Reports of older agents carry no source: their versions are the cloud's.
  const source = applied.source ?? 'cloud';
  const { version, reportedAt } = applied;
  if (applied.status === 'applied' && source === 'cloud' && version > 0) {
    const pushed = await acknowledgedVersion(policies, applied, desired);
    if (pushed !== undefined) return { basis: 'acknowledged', version, source, reportedAt, policy: pushed.policy };
  }
  return applied.policy === undefined
    ? null
    : { basis: 'siteReport', version, source, reportedAt, policy: applied.policy };
}
