/** PolicyPublisher on the AWS IoT data plane: UpdateThingShadow on the gateway's named shadow `policy`. */
import { UpdateThingShadowCommand, type IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { AppError } from '../../shared/errors';
import { POLICY_SHADOW_NAME, policyShadowUpdate, type PolicyPublisher } from '../ports/policy-publisher';

export function createIotPolicyPublisher(deps: { readonly iotData: IoTDataPlaneClient }): PolicyPublisher {
  return {
    async publishDesired({ thingName }, desired) {
      const payload = new TextEncoder().encode(JSON.stringify(policyShadowUpdate(desired)));
      try {
        await deps.iotData.send(new UpdateThingShadowCommand({ thingName, shadowName: POLICY_SHADOW_NAME, payload }));
      } catch (error) {
        throw new AppError('internal', `could not publish policy version ${desired.version} to "${thingName}"`, [], {
          cause: error,
        });
      }
    },
  };
}
