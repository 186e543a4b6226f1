/** Port: pushes a site's desired policy to its gateway (AWS: named shadow `policy`; locally: the broker's shadow stand-in). */
import type { Policy } from '../../shared/policy/policy-schema';

export interface DesiredPolicy {
  readonly version: number;
  readonly policy: Policy;
}

export interface PolicyPublisher {
  publishDesired(target: { readonly thingName: string; readonly tenantId: string; readonly siteId: string }, desired: DesiredPolicy): Promise<void>;
}

/** The named shadow the policy travels in. */
export const POLICY_SHADOW_NAME = 'policy';

/**
 * The shadow update carrying a desired policy. The policy travels as a JSON string because a shadow merges
 * nested objects key by key: an object would keep keys a newer policy dropped (e.g. dynamic-mode fields after
 * a switch to static), which the edge's strict schema then refuses. A string is replaced whole.
 */
export function policyShadowUpdate(desired: DesiredPolicy): { state: { desired: { version: number; policy: string } } } {
  return { state: { desired: { version: desired.version, policy: JSON.stringify(desired.policy) } } };
}
