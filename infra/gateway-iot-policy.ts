/**
 * The IoT policy document every site gateway's certificate gets. Through policy variables one document serves every
 * gateway, and each can only connect as its own thing (client id = thing name, certificate attached to that thing),
 * publish and subscribe on its own site's topics (the thing's `siteId` attribute, set at registration) and use its
 * own `policy` shadow. Everything else is implicitly denied.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { POLICY_SHADOW } from '../shared/sync/sync-topics';

/** Resolved by IoT at connection time (not CloudFormation: `${...}` is passed through literally). */
export const THING_NAME_VARIABLE = '${iot:Connection.Thing.ThingName}';
export const SITE_ID_VARIABLE = '${iot:Connection.Thing.Attributes[siteId]}';

const SITE_TOPICS = `ampshare/sites/${SITE_ID_VARIABLE}`;
const POLICY_SHADOW_TOPICS = `$aws/things/${THING_NAME_VARIABLE}/shadow/name/${POLICY_SHADOW}`;

export function gatewayPolicyDocument(scope: Construct): Record<string, unknown> {
  const arn = (resource: 'client' | 'topic' | 'topicfilter', resourceName: string) =>
    Stack.of(scope).formatArn({ service: 'iot', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: arn('client', THING_NAME_VARIABLE),
        Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
      },
      {
        Effect: 'Allow',
        Action: 'iot:Publish',
        Resource: [
          ...['telemetry', 'sessions', 'events', 'commands/result'].map((stream) => arn('topic', `${SITE_TOPICS}/${stream}`)),
          arn('topic', `${POLICY_SHADOW_TOPICS}/update`),
          arn('topic', `${POLICY_SHADOW_TOPICS}/get`),
        ],
      },
      {
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: [arn('topicfilter', `${SITE_TOPICS}/commands`), arn('topicfilter', `${POLICY_SHADOW_TOPICS}/*`)],
      },
      {
        Effect: 'Allow',
        Action: 'iot:Receive',
        Resource: [arn('topic', `${SITE_TOPICS}/commands`), arn('topic', `${POLICY_SHADOW_TOPICS}/*`)],
      },
    ],
  };
}
