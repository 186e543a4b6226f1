/**
 * MQTT topics between a site gateway and the cloud (AWS IoT Core, or the local broker and bridge). A gateway's topics
 * are keyed by its thing name, not its site id: site ids are only unique within a tenant, thing names are unique in
 * the account and bound to one tenant and site at registration, and the IoT policy can enforce them
 * (`${iot:Connection.Thing.ThingName}`). See docs/sync.md, "Topics".
 */

/** The named shadow that carries a site's policy. */
export const POLICY_SHADOW = 'policy';

/** Telemetry, sessions and events from a gateway: `ampshare/gateways/<thingName>/<stream>`. */
export const SITE_STREAMS = ['telemetry', 'sessions', 'events'] as const;
export type SiteStream = (typeof SITE_STREAMS)[number];

/** Every topic of one gateway starts with this. */
export function gatewayTopicRoot(thingName: string): string {
  return `ampshare/gateways/${thingName}`;
}

/** The topic a gateway publishes one stream on. */
export function gatewayStreamTopic(thingName: string, stream: SiteStream): string {
  return `${gatewayTopicRoot(thingName)}/${stream}`;
}

/** Commands from the cloud to a gateway, and the gateway's answers. */
export function gatewayCommandTopic(thingName: string): string {
  return `${gatewayTopicRoot(thingName)}/commands`;
}
export function gatewayCommandResultTopic(thingName: string): string {
  return `${gatewayTopicRoot(thingName)}/commands/result`;
}

/** The MQTT filter of every gateway's stream topics (the ingest rule's FROM; its WHERE keeps SITE_STREAMS). */
export const GATEWAY_STREAMS_FILTER = 'ampshare/gateways/+/+';

/** The topic prefix of a thing's named shadow (AWS IoT device shadow service). */
export function shadowTopicPrefix(thingName: string, shadowName: string): string {
  return `$aws/things/${thingName}/shadow/name/${shadowName}`;
}

/** A request topic of a thing's named shadow. */
export function shadowTopic(thingName: string, shadowName: string, action: 'update' | 'get' | 'delete'): string {
  return `${shadowTopicPrefix(thingName, shadowName)}/${action}`;
}

/** AWS IoT thing names: letters, digits, colon, underscore and hyphen (never `/`, `+`, `#`, `*` or `?`). */
const THING_NAME = '[A-Za-z0-9:_-]{1,128}';
const GATEWAY_STREAM = new RegExp(`^ampshare/gateways/(${THING_NAME})/(${SITE_STREAMS.join('|')})$`);

/** Parses `ampshare/gateways/<thingName>/<stream>`; undefined for any other topic. */
export function parseGatewayStreamTopic(topic: string): { thingName: string; stream: SiteStream } | undefined {
  const match = GATEWAY_STREAM.exec(topic);
  return match ? { thingName: match[1]!, stream: match[2] as SiteStream } : undefined;
}

/** Broker lifecycle events (AWS IoT presence events; the local broker publishes the same). */
export const PRESENCE_EVENTS = ['connected', 'disconnected'] as const;
export type PresenceEventType = (typeof PRESENCE_EVENTS)[number];

/** `$aws/events/presence/<connected|disconnected>/<clientId>` */
export function presenceTopic(eventType: PresenceEventType, clientId: string): string {
  return `$aws/events/presence/${eventType}/${clientId}`;
}

/** The MQTT filter of every presence event (the presence rule's FROM). */
export const PRESENCE_FILTER = '$aws/events/presence/+/+';
