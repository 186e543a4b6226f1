/**
 * Turns a broker lifecycle event into the connectivity of the site whose gateway it is about: connected is online,
 * disconnected is offline, with the event's time. Lifecycle events may arrive late, out of order and twice, and a
 * gateway that reconnects may have its old connection's disconnect reported after the new connect: the event's place
 * in its thing's order (the version number, then disconnect after connect) decides, so an older event never
 * overwrites a newer one. Bad input is reported in the result, never thrown; a data store failure throws.
 */
import type { AppErrorCode, FieldIssue } from '../../shared/errors';
import { parseWith } from '../../shared/validation';
import type { FleetRepositories } from '../ports/fleet-repositories';
import type { PresenceChange } from '../ports/site-repository';
import { attributeThing } from './gateway-attribution';
import { PresenceEventSchema } from './presence-event';

/** What presence needs, passed in by a composition root (the ingest Lambda, or the local bridge). */
export interface PresenceDeps {
  readonly repositories: Pick<FleetRepositories, 'gateways' | 'sites'>;
}

export type PresenceResult =
  | { readonly status: 'recorded'; readonly tenantId: string; readonly siteId: string; readonly change: PresenceChange }
  /** Nothing to record: not a gateway, a revoked one, not the site's gateway any more, or an event older than the one recorded. */
  | { readonly status: 'ignored'; readonly reason: string }
  | {
      readonly status: 'rejected';
      readonly code: AppErrorCode;
      readonly reason: string;
      readonly issues: readonly FieldIssue[];
    };

export async function recordPresence(deps: PresenceDeps, input: unknown): Promise<PresenceResult> {
  const parsed = parseWith(PresenceEventSchema, input);
  if (!parsed.ok)
    return { status: 'rejected', code: 'message.invalid', reason: 'not a lifecycle event', issues: parsed.issues };
  const event = parsed.value;
  const attribution = await attributeThing(deps.repositories.gateways, event.clientId);
  if (!attribution.ok) return { status: 'ignored', reason: attribution.reason };
  const { tenantId, siteId } = attribution.registration;
  const disconnected = event.eventType === 'disconnected';
  const change: PresenceChange = {
    state: disconnected ? 'offline' : 'online',
    at: event.timestamp,
    source: { thingName: event.clientId, order: event.versionNumber * 2 + (disconnected ? 1 : 0) },
  };
  if (!(await deps.repositories.sites.recordPresence(tenantId, siteId, change))) {
    return {
      status: 'ignored',
      reason: `an event as late or later is recorded for site "${siteId}", or "${event.clientId}" is not its gateway`,
    };
  }
  return { status: 'recorded', tenantId, siteId, change };
}
