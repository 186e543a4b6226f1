/**
 * The AWS IoT control plane and data plane have no local stand-in, so these adapters are tested against
 * aws-sdk-client-mock (the only mock in the cloud tests): it checks which calls are made, in which order, with what.
 */
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
  IoTClient,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { IoTDataPlaneClient, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { createIotGatewayProvisioner } from '../../../../cloud/adapters/iot-gateway-provisioner';
import { createIotPolicyPublisher } from '../../../../cloud/adapters/iot-policy-publisher';

const ARN = 'arn:aws:iot:eu-west-1:123456789012:cert/abc';
const iotMock = mockClient(IoTClient);
const dataMock = mockClient(IoTDataPlaneClient);

const callNames = () =>
  iotMock.calls().map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name);

describe('IoT gateway provisioner', () => {
  beforeEach(() => {
    iotMock.reset();
    iotMock.on(CreateThingCommand).resolves({ thingArn: 'arn:thing', thingName: 'amp-s-1' });
    iotMock.on(CreateKeysAndCertificateCommand).resolves({
      certificateId: 'abc',
      certificateArn: ARN,
      certificatePem: 'PEM',
      keyPair: { PrivateKey: 'KEY', PublicKey: 'PUB' },
    });
    iotMock.on(DescribeCertificateCommand).resolves({ certificateDescription: { certificateArn: ARN } });
  });
  const provisioner = () =>
    createIotGatewayProvisioner({
      iot: new IoTClient({ region: 'eu-west-1' }),
      policyName: 'ampshare-gateway',
      endpoint: 'x-ats.iot.eu-west-1.amazonaws.com',
    });

  it('should create the thing, an active certificate, attach the policy and the thing principal', async () => {
    const credentials = await provisioner().register({ tenantId: 't', siteId: 's-1', thingName: 'amp-s-1' });
    expect(credentials).toEqual({
      kind: 'x509',
      credentialId: 'abc',
      certificatePem: 'PEM',
      privateKeyPem: 'KEY',
      endpoint: 'x-ats.iot.eu-west-1.amazonaws.com',
    });
    expect(callNames()).toEqual([
      'CreateThingCommand',
      'CreateKeysAndCertificateCommand',
      'AttachPolicyCommand',
      'AttachThingPrincipalCommand',
    ]);
    expect(iotMock.commandCalls(CreateThingCommand)[0]?.args[0].input).toMatchObject({
      thingName: 'amp-s-1',
      attributePayload: { attributes: { tenantId: 't', siteId: 's-1' } },
    });
    expect(iotMock.commandCalls(CreateKeysAndCertificateCommand)[0]?.args[0].input).toEqual({ setAsActive: true });
    expect(iotMock.commandCalls(AttachPolicyCommand)[0]?.args[0].input).toEqual({
      policyName: 'ampshare-gateway',
      target: ARN,
    });
    expect(iotMock.commandCalls(AttachThingPrincipalCommand)[0]?.args[0].input).toEqual({
      thingName: 'amp-s-1',
      principal: ARN,
    });
  });

  it('should undo a half-done registration and fail with an AppError', async () => {
    iotMock.on(AttachThingPrincipalCommand).rejects(new Error('throttled'));
    await expect(provisioner().register({ tenantId: 't', siteId: 's-1', thingName: 'amp-s-1' })).rejects.toSatisfy(
      (e) => AppError.match(e, 'internal'),
    );
    expect(iotMock.commandCalls(UpdateCertificateCommand)[0]?.args[0].input).toEqual({
      certificateId: 'abc',
      newStatus: 'INACTIVE',
    });
    expect(iotMock.commandCalls(DetachPolicyCommand)).toHaveLength(1);
    expect(iotMock.commandCalls(DetachThingPrincipalCommand)).toHaveLength(0);
    expect(iotMock.commandCalls(DeleteCertificateCommand)).toHaveLength(1);
    expect(iotMock.commandCalls(DeleteThingCommand)).toHaveLength(1);
  });

  it('should revoke by deactivating the certificate first, then detaching and deleting', async () => {
    await provisioner().revoke({ thingName: 'amp-s-1', credentialId: 'abc' });
    expect(callNames()).toEqual([
      'DescribeCertificateCommand',
      'UpdateCertificateCommand',
      'DetachThingPrincipalCommand',
      'DetachPolicyCommand',
      'DeleteCertificateCommand',
      'DeleteThingCommand',
    ]);
    expect(iotMock.commandCalls(UpdateCertificateCommand)[0]?.args[0].input).toEqual({
      certificateId: 'abc',
      newStatus: 'INACTIVE',
    });
  });
});

describe('IoT policy publisher', () => {
  beforeEach(() => dataMock.reset());

  it('should update the named shadow "policy" with the version and the policy as one string', async () => {
    dataMock.on(UpdateThingShadowCommand).resolves({});
    const policy = PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 32 } });
    await createIotPolicyPublisher({ iotData: new IoTDataPlaneClient({ region: 'eu-west-1' }) }).publishDesired(
      { thingName: 'amp-s-1', tenantId: 't', siteId: 's-1' },
      { version: 4, policy },
    );

    const input = dataMock.commandCalls(UpdateThingShadowCommand)[0]!.args[0].input;
    expect(input.thingName).toBe('amp-s-1');
    expect(input.shadowName).toBe('policy');
    const document = JSON.parse(new TextDecoder().decode(input.payload as Uint8Array)) as {
      state: { desired: { version: number; policy: string } };
    };
    expect(document.state.desired.version).toBe(4);
    expect(PolicySchema.parse(JSON.parse(document.state.desired.policy))).toEqual(policy);
  });

  it('should turn a data plane failure into an AppError', async () => {
    dataMock.on(UpdateThingShadowCommand).rejects(new Error('ResourceNotFoundException'));
    const policy = PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 32 } });
    const publish = createIotPolicyPublisher({
      iotData: new IoTDataPlaneClient({ region: 'eu-west-1' }),
    }).publishDesired({ thingName: 'x', tenantId: 't', siteId: 's' }, { version: 1, policy });
    await expect(publish).rejects.toSatisfy((e) => AppError.match(e, 'internal'));
  });
});
