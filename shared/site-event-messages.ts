/**
 * What the fleet's site events say (the events an agent sends to the cloud, shared/sync/event-reasons.ts), in English,
 * keyed by a stable reason under `siteEvent.` in shared/server-messages.ts. An event names its charger, meter or node
 * in the text, since the console's events table has no source column (the dashboard's event lines have one, and say
 * the rest in shared/event-messages.ts, whose messages an event reuses where they read the same). An event carries the
 * reason and its parameters beside this text, so the console shows it in the reader's language (German:
 * browser/ui/i18n/messages/site-events-de.ts). A parameter that is a charger's or a driver's own words (an OCPP error
 * code, a close reason the charger gave) stays as written; the agent's own close reasons and a paused disk's cause are
 * messages of their own (shared/charger-close-messages.ts, shared/storage-causes.ts).
 */
export const SITE_EVENT_MESSAGES = {
  meterLost: 'meter {{meter}} lost: {{fault}}',
  meterRecovered: 'meter {{meter}} recovered',
  chargerStatus: 'charger {{charger}} connector {{connector}}: {{status}}',
  profileRejected: 'charger {{charger}} rejected {{amps}} A on connector {{connector}}',
  chargerUnresponsive: 'charger {{charger}} does not answer',
  connected: 'charger {{charger}} connected',
  connectedFrom: 'charger {{charger}} connected from {{address}}',
  disconnected: 'charger {{charger}} disconnected',
  disconnectedCode: 'charger {{charger}} disconnected (code {{code}})',
  disconnectedBecause: 'charger {{charger}} disconnected ({{reason}})',
  disconnectedCodeBecause: 'charger {{charger}} disconnected (code {{code}}, {{reason}})',
  booted: 'charger {{charger}} booted: {{vendor}} {{model}} ({{registration}})',
  bootedFirmware: 'charger {{charger}} booted: {{vendor}} {{model}}, firmware {{firmware}} ({{registration}})',
  faulted: 'charger {{charger}} connector {{connector}} faulted: {{fault}}',
  faultedInfo: 'charger {{charger}} connector {{connector}} faulted: {{fault}} ({{info}})',
  recovered: 'charger {{charger}} connector {{connector}} recovered ({{status}})',
  master: '{{node}} serves as master in term {{term}}',
  fenced: '{{node}} fenced in term {{term}}: {{reason}}',
  majorityGained:
    '{{node}} holds the majority of the site’s chargers ({{counted}} of {{site}}) and may give more than the fail-safe',
  majorityLost:
    '{{node}} no longer holds the majority of the site’s chargers ({{counted}} of {{site}}): fail-safe only',
  policyApplied: 'cloud policy version {{version}} applied',
  localPolicyApplied: 'local policy edit applied (based on cloud version {{version}})',
  policyRefused: 'cloud policy version {{version}} refused',
  shadowOtherThing: 'shadow message for another thing "{{thing}}"',
  shadowTooLarge: 'shadow message of {{bytes}} bytes exceeds {{maximum}}',
  shadowNotJson: 'shadow message is not JSON',
  shadowMalformed: 'malformed shadow document',
  deltaMalformed: 'malformed shadow delta',
  agentStarted: 'agent started',
  connectorAdopted: 'connector {{connector}} is not in the site file: adopted under its charger ({{cause}})',
  connectorRefused: 'connector {{connector}} cannot be controlled: {{reason}}',
  /** A sign-in lockout: where (`event.source.…`) and the dashboard's line (`event.lockedOut…`). */
  lockout: 'sign-in lockout ({{source}}): {{lockout}}',
};
