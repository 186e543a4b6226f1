/**
 * The kinds of site event an agent sends to the cloud, and the stable reasons (shared/server-messages.ts) each may be
 * said with: an event carries its English `message` (for older clouds and for logs) and, since issue 16, the reason
 * and its parameters, so the fleet console says it in the reader's language. An older agent's event has no reason;
 * the console shows its message as English.
 */
import { z } from 'zod';
import { addReasonedIssue } from '../reasoned-issue';
import { englishMessage, MessageParamsSchema, type MessageParams, type ServerReason } from '../server-messages';

export const EVENT_KINDS = [
  'meter.lost',
  'meter.recovered',
  'charger.status',
  'charger.rejectedProfile',
  'charger.unresponsive',
  'charger.connected',
  'charger.disconnected',
  'charger.booted',
  'charger.faulted',
  'charger.recovered',
  'cluster.failover',
  'cluster.majority',
  'policy.applied',
  'policy.rejected',
  'agent.started',
  'connector.adopted',
  'connector.refused',
  'auth.lockout',
  'storage.full',
  'storage.recovered',
  'upstream.lost',
  'upstream.recovered',
  'upstream.thinned',
  'upstream.unwritten',
  'site.changed',
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * The reasons each kind is said with; test/unit/browser/console/event-reason-text.test.ts checks both catalogues have
 * them. No agent of this version sends `charger.status` or `agent.started` (the contract has them, and tests send them).
 */
export const EVENT_REASONS = {
  'meter.lost': ['siteEvent.meterLost'],
  'meter.recovered': ['siteEvent.meterRecovered'],
  'charger.status': ['siteEvent.chargerStatus'],
  'charger.rejectedProfile': ['siteEvent.profileRejected'],
  'charger.unresponsive': ['siteEvent.chargerUnresponsive'],
  'charger.connected': ['siteEvent.connected', 'siteEvent.connectedFrom'],
  'charger.disconnected': [
    'siteEvent.disconnected',
    'siteEvent.disconnectedCode',
    'siteEvent.disconnectedBecause',
    'siteEvent.disconnectedCodeBecause',
  ],
  'charger.booted': ['siteEvent.booted', 'siteEvent.bootedFirmware'],
  'charger.faulted': ['siteEvent.faulted', 'siteEvent.faultedInfo'],
  'charger.recovered': ['siteEvent.recovered'],
  'cluster.failover': ['siteEvent.master', 'siteEvent.fenced'],
  'cluster.majority': ['siteEvent.majorityGained', 'siteEvent.majorityLost'],
  'policy.applied': ['siteEvent.policyApplied', 'siteEvent.localPolicyApplied'],
  'policy.rejected': [
    'siteEvent.policyRefused',
    'siteEvent.shadowOtherThing',
    'siteEvent.shadowTooLarge',
    'siteEvent.shadowNotJson',
    'siteEvent.shadowMalformed',
    'siteEvent.deltaMalformed',
  ],
  'agent.started': ['siteEvent.agentStarted'],
  'connector.adopted': ['siteEvent.connectorAdopted'],
  'connector.refused': ['siteEvent.connectorRefused'],
  'auth.lockout': ['siteEvent.lockout'],
  'storage.full': ['event.storagePaused'],
  'storage.recovered': ['event.storageRecovered'],
  'upstream.lost': ['event.upstream.lost'],
  'upstream.recovered': ['event.upstream.recovered'],
  'upstream.thinned': ['event.upstream.thinned'],
  'upstream.unwritten': ['event.upstream.unwritten'],
  'site.changed': ['event.siteChanged'],
} as const satisfies Record<EventKind, readonly [ServerReason, ...ServerReason[]]>;

export type EventReason<K extends EventKind = EventKind> = (typeof EVENT_REASONS)[K][number];

/** Every reason an event may carry. */
export const ALL_EVENT_REASONS = [...new Set(Object.values(EVENT_REASONS).flat())] as [EventReason, ...EventReason[]];

/** The most an event's parameters take, as JSON: they say what the 500-character message says. */
export const MAX_EVENT_PARAMS_CHARS = 4000;

/** An event's parameters: the readers' nesting and string bounds, and a bound on the whole. */
export const EventParamsSchema = MessageParamsSchema.superRefine((params, ctx) => {
  if (JSON.stringify(params).length > MAX_EVENT_PARAMS_CHARS)
    addReasonedIssue(ctx, [], 'field.jsonTooLong', { maximum: MAX_EVENT_PARAMS_CHARS });
});

/** True when `reason` is one `kind` is said with. */
export const isReasonOf = (kind: EventKind, reason: string): boolean =>
  (EVENT_REASONS[kind] as readonly string[]).includes(reason);

/** The said part of an event of `kind`: the reason, its parameters and the English text (cut to the schema's bound). */
export function eventSaid<K extends EventKind>(
  kind: K,
  reason: EventReason<K>,
  params?: MessageParams,
): { kind: K; message: string; reason: EventReason<K>; params?: MessageParams } {
  const ref = params === undefined ? { reason } : { reason, params };
  return { kind, message: englishMessage(ref).slice(0, 500), ...ref };
}

/** The `reason` and `params` fields of an event body, checked against its kind by EventBodySchema. */
export const EventReasonFields = {
  reason: z.enum(ALL_EVENT_REASONS).optional(),
  params: EventParamsSchema.optional(),
};
