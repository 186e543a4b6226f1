/**
 * What makes a valid site version unfit to replace the one in force, besides the site schema: a change of what only a
 * restart can change (the site id, the nominal voltage), a circuit's meter the agent does not read, a policy in force
 * that names a connector the version drops, and a running session on a connector it drops (its car would draw with
 * nobody counting it under the fuses: stop the session first).
 */
import type { FieldIssue } from '../../../shared/errors';
import type { Policy } from '../../../shared/policy/policy-schema';
import { policySiteIssues } from '../../../shared/policy/policy-fits-site';
import { formatConnectorRef, siteConnectorRefs } from '../../../shared/site/connector-ref';
import type { Site } from '../../../shared/site/site-schema';
import { circuitMeterIssues, type MeterConfig } from '../../meter/meter-config';

export interface SiteChangeContext {
  readonly inForce: Site;
  readonly meters: readonly MeterConfig[];
  readonly policy: Policy;
  /** The connectors with a running session. */
  readonly openSessions: readonly { readonly chargerId: string; readonly connectorId: number }[];
}

/** Every reason `next` cannot replace the site in force, with paths from the site's root (`site.chargers[2].id`). */
export function siteChangeIssues(next: Site, context: SiteChangeContext): FieldIssue[] {
  const { inForce } = context;
  const issues = versionIssues(next, inForce, context.meters);
  for (const issue of policySiteIssues(context.policy, next))
    issues.push({ path: `policy.${issue.path}`, message: `${issue.message} (change the policy first)` });
  const refs = new Set(siteConnectorRefs(next));
  for (const { chargerId, connectorId } of context.openSessions) {
    const ref = formatConnectorRef(chargerId, connectorId);
    if (refs.has(ref)) continue;
    const index = inForce.chargers.findIndex((c) => c.id === chargerId);
    issues.push({
      path: index < 0 ? 'site.chargers' : `site.chargers[${index}]`,
      message: `connector ${ref} has a running session: it cannot leave the site until the session ends`,
    });
  }
  return issues;
}

/**
 * What makes `next` with `meters` unfit to replace `inForce` whatever runs now: what only a restart can change, and a
 * circuit's meter that is not among `meters` (a version taken from the cluster's ledger is held to these alone).
 */
export function versionIssues(next: Site, inForce: Site, meters: readonly MeterConfig[]): FieldIssue[] {
  const at = (path: string) => (path === '(root)' ? 'site' : `site.${path}`);
  const issues: FieldIssue[] = [];
  if (next.id !== inForce.id)
    issues.push({
      path: 'site.id',
      message: `the site id is "${inForce.id}": changing it takes the site file and a restart`,
    });
  if (next.nominalVolts !== inForce.nominalVolts)
    issues.push({
      path: 'site.nominalVolts',
      message: `the nominal voltage is ${inForce.nominalVolts} V: changing it takes the site file and a restart`,
    });
  for (const issue of circuitMeterIssues(next, meters)) issues.push({ ...issue, path: at(issue.path) });
  return issues;
}
