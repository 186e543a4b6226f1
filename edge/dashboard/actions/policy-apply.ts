/**
 * Puts a policy saved on the dashboard in force at once. With a cloud link it goes through the sync, which applies it
 * and reports it to the cloud as a local edit; without one, straight to the policy in force (which persists it).
 * Either way a policy naming connectors this site does not have is refused with the bad paths, and where the policy
 * in force came from is read from its one record.
 */
import { AppError } from '../../../shared/errors';
import type { Policy } from '../../../shared/policy/policy-schema';
import type { CloudLinkHandle, PolicyInForceHandle } from '../dashboard-ports';

export type PolicySource = 'config' | 'local' | 'cloud';

export interface LocalPolicyApplier {
  apply(policy: Policy): void;
  /** Where the policy in force came from. */
  source(): PolicySource;
}

export function createLocalPolicyApplier(
  inForce: PolicyInForceHandle,
  cloud: CloudLinkHandle | undefined,
): LocalPolicyApplier {
  return {
    apply(policy) {
      const result = cloud
        ? cloud.applyLocalPolicy(policy)
        : inForce.apply(policy, { version: inForce.origin().version, source: 'local' });
      if (!result.ok) throw new AppError('policy.invalid', 'the policy does not fit this site', result.issues);
    },
    source: () => inForce.origin().source,
  };
}
