/**
 * Puts a policy saved on the dashboard in force at once. With a cloud link it goes through the sync, which applies it
 * and reports it to the cloud as a local edit; without one, straight to the control loop (which persists it). Either
 * way a policy naming connectors this site does not have is refused with the bad paths.
 */
import { AppError } from '../../../shared/errors';
import type { Policy } from '../../../shared/policy/policy-schema';
import type { Site } from '../../../shared/site/site-schema';
import { createControllerPolicySink } from '../../sync/controller-policy-sink';
import type { CloudLinkHandle, ControlHandle } from '../dashboard-ports';

export type PolicySource = 'config' | 'local' | 'cloud';

export interface LocalPolicyApplier {
  apply(policy: Policy): void;
  /** Where the policy in force came from. */
  source(): PolicySource;
}

/** `configuredPolicy`: the configuration file's, to tell it from a policy saved here (also after a restart). */
export function createLocalPolicyApplier(control: ControlHandle, site: Site, cloud: CloudLinkHandle | undefined, configuredPolicy: Policy): LocalPolicyApplier {
  const sink = createControllerPolicySink(control, site);
  const configured = JSON.stringify(configuredPolicy);
  return {
    apply(policy) {
      const result = cloud ? cloud.applyLocalPolicy(policy) : sink.apply(policy, { version: 0, source: 'local' });
      if (!result.ok) throw new AppError('policy.invalid', 'the policy does not fit this site', result.issues);
    },
    source: () => (cloud ? cloud.status().policy.inForce.source : JSON.stringify(control.policy) === configured ? 'config' : 'local'),
  };
}
