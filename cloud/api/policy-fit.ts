/** Refuses a policy that names connectors its site lacks (400 `policy.invalid`): the site would refuse it when pushed. */
import { AppError } from '../../shared/errors';
import { policySiteIssues } from '../../shared/policy/policy-fits-site';
import type { Policy } from '../../shared/policy/policy-schema';
import type { Site } from '../../shared/site/site-schema';

/** Throws `policy.invalid` naming every connector of `policy` the site lacks; `prefix` is where the policy sits in the body (`policy.`). */
export function assertPolicyFitsSite(policy: Policy, site: Pick<Site, 'id' | 'chargers'>, prefix = ''): void {
  const issues = policySiteIssues(policy, site).map((issue) => ({ ...issue, path: `${prefix}${issue.path}` }));
  if (issues.length === 0) return;
  throw new AppError(
    'policy.invalid',
    `the policy names connectors site "${site.id}" does not have: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}
