/**
 * The IoT policy document every site gateway's certificate gets, rendered from the shared grants
 * (shared/sync/gateway-grants.ts, which the local broker evaluates too). Through the policy variable
 * `${iot:Connection.Thing.ThingName}` one document serves every gateway: each can only connect as its own thing (client
 * id = thing name, certificate attached to that thing) and use topics under its own thing name
 * (`ampshare/gateways/<thing>/...`) and its own `policy` shadow. Thing names are unique in the account and bound to one
 * tenant and site at registration, so two tenants' sites with the same id never share a topic. Everything else is
 * implicitly denied.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { gatewayGrants } from '../shared/sync/gateway-grants';

/** Resolved by IoT at connection time (not CloudFormation: `${...}` is passed through literally). */
const THING_NAME_VARIABLE = '${iot:Connection.Thing.ThingName}';

export function gatewayPolicyDocument(scope: Construct): Record<string, unknown> {
  const arn = (resource: 'client' | 'topic' | 'topicfilter', resourceName: string) =>
    Stack.of(scope).formatArn({ service: 'iot', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const grants = gatewayGrants(THING_NAME_VARIABLE);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: arn('client', THING_NAME_VARIABLE),
        Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
      },
      { Effect: 'Allow', Action: 'iot:Publish', Resource: grants.publish.map((topic) => arn('topic', topic)) },
      {
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: grants.subscribe.map((filter) => arn('topicfilter', filter)),
      },
      { Effect: 'Allow', Action: 'iot:Receive', Resource: grants.receive.map((topic) => arn('topic', topic)) },
    ],
  };
}
