/**
 * What a site gateway may do on the broker, written once: the AWS IoT policy (infra/gateway-iot-policy.ts) renders it
 * with `${iot:Connection.Thing.ThingName}`, and the local broker (cloud/local/gateway-topic-access.ts) evaluates it
 * with the connected gateway's thing name, both by IoT policy rules: a resource names a topic (publish, receive) or a
 * topic filter (subscribe) literally, MQTT wildcards in it are plain characters, and `*` matches any characters.
 * Everything not granted is denied. Every resource lies under the gateway's own thing name, which is unique and bound
 * to one tenant and site, so no grant can reach another tenant's traffic.
 */
import {
  gatewayCommandResultTopic,
  gatewayCommandTopic,
  gatewayStreamTopic,
  POLICY_SHADOW,
  shadowTopic,
  shadowTopicPrefix,
  SITE_STREAMS,
} from './sync-topics';

export type GatewayAction = 'publish' | 'subscribe' | 'receive';

export type GatewayGrants = Readonly<Record<GatewayAction, readonly string[]>>;

/** The topics (publish, receive) and topic filters (subscribe) a gateway connected as `thingName` may use. */
export function gatewayGrants(thingName: string): GatewayGrants {
  const ownShadow = `${shadowTopicPrefix(thingName, POLICY_SHADOW)}/*`;
  return {
    publish: [
      ...SITE_STREAMS.map((stream) => gatewayStreamTopic(thingName, stream)),
      gatewayCommandResultTopic(thingName),
      shadowTopic(thingName, POLICY_SHADOW, 'update'),
      shadowTopic(thingName, POLICY_SHADOW, 'get'),
    ],
    subscribe: [gatewayCommandTopic(thingName), ownShadow],
    receive: [gatewayCommandTopic(thingName), ownShadow],
  };
}

/** Whether a policy resource (with `*` wildcards) names `name` (a topic or a topic filter, taken literally). */
export function resourceMatches(resource: string, name: string): boolean {
  const pattern = resource
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 's').test(name);
}
