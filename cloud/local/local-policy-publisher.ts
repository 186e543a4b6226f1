/** PolicyPublisher for the local stack: writes the desired policy to the gateway's named shadow on the local shadow service. */
import { AppError } from '../../shared/errors';
import { POLICY_SHADOW_NAME, policyShadowUpdate, type PolicyPublisher } from '../ports/policy-publisher';
import type { ShadowService } from './shadow/shadow-service';

export function createLocalPolicyPublisher(deps: { readonly shadows: Pick<ShadowService, 'update'> }): PolicyPublisher {
  return {
    async publishDesired({ thingName }, desired) {
      const outcome = await deps.shadows.update(thingName, POLICY_SHADOW_NAME, policyShadowUpdate(desired));
      if (!outcome.ok) {
        const { code, message } = outcome.rejected;
        throw new AppError(
          'internal',
          `could not publish policy version ${desired.version} to "${thingName}": shadow answered ${code} ${message}`,
        );
      }
    },
  };
}
