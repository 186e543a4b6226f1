/**
 * Which topics a site gateway may use on the local broker: the shared grants (shared/sync/gateway-grants.ts) that the
 * AWS IoT gateway policy is rendered from, evaluated here with the connected gateway's thing name where AWS IoT puts
 * `${iot:Connection.Thing.ThingName}`.
 */
import { gatewayGrants, resourceMatches, type GatewayAction } from '../../shared/sync/gateway-grants';

/** Whether the gateway connected as `thingName` may `action` on `name` (a topic, or a topic filter for subscribe). */
export function gatewayMay(thingName: string, action: GatewayAction, name: string): boolean {
  return gatewayGrants(thingName)[action].some((resource) => resourceMatches(resource, name));
}
