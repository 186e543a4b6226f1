/** Port: pushes a site's desired policy to its gateway (AWS: named shadow `policy`; locally: the broker's shadow stand-in). */
import { AppError } from '../../shared/errors';
import type { Policy } from '../../shared/policy/policy-schema';
import { desiredPolicyState, MAX_DESIRED_BYTES, type DesiredPolicyState } from '../../shared/sync/sync-messages';

export interface DesiredPolicy {
  readonly version: number;
  readonly policy: Policy;
}

export interface PolicyPublisher {
  publishDesired(
    target: { readonly thingName: string; readonly tenantId: string; readonly siteId: string },
    desired: DesiredPolicy,
  ): Promise<void>;
}

/** The named shadow the policy travels in. */
export { POLICY_SHADOW as POLICY_SHADOW_NAME } from '../../shared/sync/sync-topics';

/** The shadow update carrying a desired policy (the format is shared with the edge: see shared/sync). */
export function policyShadowUpdate(desired: DesiredPolicy): { state: { desired: DesiredPolicyState } } {
  return { state: { desired: desiredPolicyState(desired.version, desired.policy) } };
}

/** Bytes of the desired state a push of `desired` writes, as AWS IoT counts them against its shadow limit. */
export function desiredStateBytes(desired: DesiredPolicy): number {
  return new TextEncoder().encode(JSON.stringify(policyShadowUpdate(desired).state.desired)).byteLength;
}

/**
 * Throws `policy.tooLarge` when the shadow would refuse the push of `desired`: a policy saved anyway could never
 * reach its site. `path` names the policy in the caller's input.
 */
export function assertPushable(desired: DesiredPolicy, path: string): void {
  const bytes = desiredStateBytes(desired);
  if (bytes <= MAX_DESIRED_BYTES) return;
  throw new AppError(
    'policy.tooLarge',
    `the policy is too large to push: its shadow desired state would be ${bytes} bytes, AWS IoT allows ${MAX_DESIRED_BYTES} (8 KiB)`,
    [{ path, message: `${bytes} bytes in the shadow's desired state; at most ${MAX_DESIRED_BYTES}` }],
  );
}
