/** PolicySink on the control loop: a policy that names only this site's connectors is put in force with `setPolicy` at once. */
import { policySiteIssues } from '../../shared/policy/policy-fits-site';
import type { Policy } from '../../shared/policy/policy-schema';
import type { Site } from '../../shared/site/site-schema';
import type { PolicySink } from './sync-ports';

/** The slice of the LoadController this sink needs. */
export interface PolicyTarget {
  readonly policy: Policy;
  setPolicy(policy: Policy): void;
}

export function createControllerPolicySink(target: PolicyTarget, site: Site): PolicySink {
  return {
    apply(policy) {
      const issues = policySiteIssues(policy, site);
      if (issues.length > 0) return { ok: false, issues };
      target.setPolicy(policy);
      return { ok: true };
    },
    inForce: () => target.policy,
  };
}
