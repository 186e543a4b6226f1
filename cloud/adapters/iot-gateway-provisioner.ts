/** GatewayProvisioner on AWS IoT Core: a thing, an active X.509 certificate, the gateway IoT policy attached to it. */
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeleteThingCommand,
  DescribeCertificateCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  UpdateCertificateCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { AppError } from '../../shared/errors';
import type { GatewayCredentials, GatewayProvisioner } from '../ports/gateway-provisioner';

export interface IotGatewayProvisionerDeps {
  readonly iot: IoTClient;
  /** The IoT policy (from infra) that lets a gateway use only its own topics and shadow. */
  readonly policyName: string;
  readonly thingTypeName?: string;
  /** The account's IoT data endpoint (`xxx-ats.iot.<region>.amazonaws.com`), returned to the gateway. */
  readonly endpoint?: string;
}

export function createIotGatewayProvisioner(deps: IotGatewayProvisionerDeps): GatewayProvisioner {
  const { iot, policyName } = deps;

  async function removeCertificate(
    thingName: string,
    certificateId: string,
    arn: string,
    attached: { thing: boolean; policy: boolean },
  ): Promise<void> {
    await iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' }));
    if (attached.thing) await iot.send(new DetachThingPrincipalCommand({ thingName, principal: arn }));
    if (attached.policy) await iot.send(new DetachPolicyCommand({ policyName, target: arn }));
    await iot.send(new DeleteCertificateCommand({ certificateId }));
  }

  return {
    async register({ tenantId, siteId, thingName }) {
      let thingArn: string | undefined;
      let certificate: { id: string; arn: string } | undefined;
      const attached = { thing: false, policy: false };
      try {
        const thing = await iot.send(
          new CreateThingCommand({
            thingName,
            ...(deps.thingTypeName ? { thingTypeName: deps.thingTypeName } : {}),
            attributePayload: { attributes: { tenantId, siteId } },
          }),
        );
        thingArn = thing.thingArn;
        const keys = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
        if (!keys.certificateId || !keys.certificateArn || !keys.certificatePem || !keys.keyPair?.PrivateKey) {
          throw new Error('CreateKeysAndCertificate returned no certificate');
        }
        certificate = { id: keys.certificateId, arn: keys.certificateArn };
        await iot.send(new AttachPolicyCommand({ policyName, target: keys.certificateArn }));
        attached.policy = true;
        await iot.send(new AttachThingPrincipalCommand({ thingName, principal: keys.certificateArn }));
        attached.thing = true;
        const credentials: GatewayCredentials = {
          kind: 'x509',
          credentialId: keys.certificateId,
          certificatePem: keys.certificatePem,
          privateKeyPem: keys.keyPair.PrivateKey,
          ...(deps.endpoint ? { endpoint: deps.endpoint } : {}),
        };
        return credentials;
      } catch (error) {
        // Undo what was created, so a failed registration leaves no usable credential or orphan thing behind.
        try {
          if (certificate) await removeCertificate(thingName, certificate.id, certificate.arn, attached);
          if (thingArn !== undefined) await iot.send(new DeleteThingCommand({ thingName }));
        } catch {
          // Best effort: the original failure is what the caller needs to see.
        }
        throw new AppError('internal', `could not provision gateway "${thingName}"`, [], { cause: error });
      }
    },

    async revoke({ thingName, credentialId }) {
      try {
        const { certificateDescription } = await iot.send(
          new DescribeCertificateCommand({ certificateId: credentialId }),
        );
        const arn = certificateDescription?.certificateArn;
        if (!arn) throw new Error(`certificate ${credentialId} has no ARN`);
        await removeCertificate(thingName, credentialId, arn, { thing: true, policy: true });
        await iot.send(new DeleteThingCommand({ thingName }));
      } catch (error) {
        throw new AppError('internal', `could not revoke gateway "${thingName}"`, [], { cause: error });
      }
    },
  };
}
