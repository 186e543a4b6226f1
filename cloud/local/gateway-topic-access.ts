/**
 * Which topics a site gateway may use on the local broker: the same scope the AWS IoT gateway policy grants with
 * policy variables (`${iot:Connection.Thing.ThingName}`), here from the gateway's registration.
 */
import { SITE_STREAMS, siteCommandResultTopic, siteStreamTopic } from '../../shared/sync/sync-topics';

export interface GatewayIdentity {
  readonly thingName: string;
  readonly siteId: string;
}

const SHADOW_REQUEST = /^\$aws\/things\/([^/#+]+)\/shadow\/name\/[^/#+]+\/(update|get|delete)$/;

/** Its site's stream topics and command results, and requests to its own thing's named shadows. */
export function mayPublish(gateway: GatewayIdentity, topic: string): boolean {
  if (SITE_STREAMS.some((stream) => siteStreamTopic(gateway.siteId, stream) === topic)) return true;
  if (topic === siteCommandResultTopic(gateway.siteId)) return true;
  return SHADOW_REQUEST.exec(topic)?.[1] === gateway.thingName;
}

/** Filters inside its own site's topics or its own thing's shadow topics (wildcards only below that prefix). */
export function maySubscribe(gateway: GatewayIdentity, filter: string): boolean {
  return filter.startsWith(`ampshare/sites/${gateway.siteId}/`) || filter.startsWith(`$aws/things/${gateway.thingName}/shadow/`);
}
