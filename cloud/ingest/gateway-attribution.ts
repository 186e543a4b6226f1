/** Finds the tenant and site a gateway thing publishes for: only an active registration counts. */
import type { GatewayRegistration, GatewayRepository } from '../ports/gateway-repository';

export type Attribution = { ok: true; registration: GatewayRegistration } | { ok: false; reason: string };

export async function attributeThing(gateways: GatewayRepository, thingName: string): Promise<Attribution> {
  const registration = await gateways.findByThingName(thingName);
  if (!registration) return { ok: false, reason: `thing "${thingName}" is not a registered gateway` };
  if (registration.status !== 'active') return { ok: false, reason: `gateway "${thingName}" was revoked` };
  return { ok: true, registration };
}
