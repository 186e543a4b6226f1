/** PolicySink on the control loop: a policy that names only this site's connectors is put in force with `setPolicy` at once. */
import type { FieldIssue } from '../../shared/errors';
import type { Policy } from '../../shared/policy/policy-schema';
import type { Site } from '../../shared/site/site-schema';
import type { PolicySink } from './sync-ports';

/** The slice of the LoadController this sink needs. */
export interface PolicyTarget {
  readonly policy: Policy;
  setPolicy(policy: Policy): void;
}

export function createControllerPolicySink(target: PolicyTarget, site: Site): PolicySink {
  const refs = new Set(site.chargers.flatMap((c) => c.connectors.map((k) => `${c.id}/${k.id}`)));
  return {
    apply(policy) {
      const issues: FieldIssue[] = [];
      policy.vip.connectors.forEach((ref, k) => refs.has(ref) || issues.push({ path: `vip.connectors[${k}]`, message: `connector "${ref}" is not part of this site` }));
      policy.priorityLevels.forEach((level, l) =>
        level.connectors.forEach((ref, k) => refs.has(ref) || issues.push({ path: `priorityLevels[${l}].connectors[${k}]`, message: `connector "${ref}" is not part of this site` })),
      );
      if (issues.length > 0) return { ok: false, issues };
      target.setPolicy(policy);
      return { ok: true };
    },
    inForce: () => target.policy,
  };
}
