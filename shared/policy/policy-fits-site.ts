/** The rule that a policy names only connectors its site has: the edge refuses, and the fleet API does not save, one that names others. */
import type { FieldIssue } from '../errors';
import { reasonedIssue } from '../reasoned-issue';
import { siteConnectorRefs } from '../site/connector-ref';
import type { Site } from '../site/site-schema';
import type { Policy } from './policy-schema';

/** Every connector `policy` names (VIP and priority levels) that `site` lacks, by its path in the policy; empty when it fits. */
export function policySiteIssues(policy: Policy, site: Pick<Site, 'chargers'>): FieldIssue[] {
  const refs = new Set(siteConnectorRefs(site));
  const issues: FieldIssue[] = [];
  const check = (connectors: readonly string[], path: string) =>
    connectors.forEach((ref, k) => {
      if (refs.has(ref)) return;
      issues.push(reasonedIssue(`${path}[${k}]`, { reason: 'policy.unknownConnector', params: { connector: ref } }));
    });
  check(policy.vip.connectors, 'vip.connectors');
  policy.priorityLevels.forEach((level, l) => check(level.connectors, `priorityLevels[${l}].connectors`));
  return issues;
}
