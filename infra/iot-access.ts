/**
 * IAM grants on AWS IoT for the API and policy-push Lambdas, scoped to the gateways' things (`amp-…`, the prefix
 * cloud/api/gateway-routes.ts gives every thing name), their `policy` shadow and the gateway IoT policy.
 */
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { POLICY_SHADOW } from '../shared/sync/sync-topics';

/** Every gateway thing name starts with this (checked against gatewayThingName in the infra tests). */
export const GATEWAY_THING_PREFIX = 'amp-';

/** How cdk-nag renders an IoT ARN of this account and region in a finding id. */
const NAG_IOT_ARN = 'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:';

const acknowledgeWildcard = (role: iam.IRole, resource: string, reason: string) =>
  Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });

const iotArn = (role: iam.IRole, resource: string, resourceName: string) =>
  Stack.of(role).formatArn({ service: 'iot', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });

/** UpdateThingShadow on the gateways' named shadow `policy` only (not their classic shadow, not other things). */
export function grantPolicyShadowUpdate(role: iam.IRole): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['iot:UpdateThingShadow'],
      resources: [iotArn(role, 'thing', `${GATEWAY_THING_PREFIX}*/${POLICY_SHADOW}`)],
    }),
  );
  acknowledgeWildcard(
    role,
    `${NAG_IOT_ARN}thing/${GATEWAY_THING_PREFIX}*/${POLICY_SHADOW}`,
    'Gateway things are created at run time (one per site); the grant is limited to the named shadow "policy" of things with the gateway prefix.',
  );
}

/**
 * What cloud/adapters/iot-gateway-provisioner.ts calls. Certificate ids are chosen by IoT when a certificate is
 * created, so certificate actions cannot name one in advance (`cert/*` of this account and region), and
 * CreateKeysAndCertificate supports no resource at all.
 */
export function grantGatewayProvisioning(role: iam.IRole, gatewayPolicyName: string, thingTypeName: string): void {
  const things = iotArn(role, 'thing', `${GATEWAY_THING_PREFIX}*`);
  const certificates = iotArn(role, 'cert', '*');
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['iot:CreateThing'],
      resources: [things, iotArn(role, 'thingtype', thingTypeName)],
    }),
  );
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iot:DeleteThing'], resources: [things] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iot:CreateKeysAndCertificate'], resources: ['*'] }));
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['iot:AttachPolicy', 'iot:DetachPolicy'],
      resources: [certificates, iotArn(role, 'policy', gatewayPolicyName)],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['iot:AttachThingPrincipal', 'iot:DetachThingPrincipal'],
      resources: [things, certificates],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['iot:DescribeCertificate', 'iot:UpdateCertificate', 'iot:DeleteCertificate'],
      resources: [certificates],
    }),
  );
  acknowledgeWildcard(
    role,
    `${NAG_IOT_ARN}thing/${GATEWAY_THING_PREFIX}*`,
    'Gateway things are created at run time, one per site; only names with the gateway prefix.',
  );
  acknowledgeWildcard(
    role,
    `${NAG_IOT_ARN}cert/*`,
    'Certificate ids are chosen by IoT when the gateway certificate is created, so they cannot be named in advance.',
  );
  acknowledgeWildcard(
    role,
    '*',
    'iot:CreateKeysAndCertificate (and iot:DescribeEndpoint) support no resource-level permissions; every other action is scoped.',
  );
}

/** DescribeEndpoint has no resource-level permissions; only granted when the endpoint is not configured. */
export function grantDescribeEndpoint(role: iam.IRole): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iot:DescribeEndpoint'], resources: ['*'] }));
  acknowledgeWildcard(
    role,
    '*',
    'iot:DescribeEndpoint supports no resource-level permissions (read-only: returns the account data endpoint).',
  );
}
