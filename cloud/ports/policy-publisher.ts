/** Port: pushes a site's desired policy to its gateway (AWS: named shadow `policy`; locally: the broker's shadow stand-in). */
import type { Policy } from '../../shared/policy/policy-schema';
import { desiredPolicyState, type DesiredPolicyState } from '../../shared/sync/sync-messages';

export interface DesiredPolicy {
  readonly version: number;
  readonly policy: Policy;
}

export interface PolicyPublisher {
  publishDesired(target: { readonly thingName: string; readonly tenantId: string; readonly siteId: string }, desired: DesiredPolicy): Promise<void>;
}

/** The named shadow the policy travels in. */
export { POLICY_SHADOW as POLICY_SHADOW_NAME } from '../../shared/sync/sync-topics';

/** The shadow update carrying a desired policy (the format is shared with the edge: see shared/sync). */
export function policyShadowUpdate(desired: DesiredPolicy): { state: { desired: DesiredPolicyState } } {
  return { state: { desired: desiredPolicyState(desired.version, desired.policy) } };
}
