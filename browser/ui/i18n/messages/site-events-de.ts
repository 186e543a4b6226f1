/** German: the fleet's site events (shared/site-event-messages.ts has the English and says where it comes from). */
import type { SITE_EVENT_MESSAGES } from '../../../../shared/site-event-messages';

export const siteEventsDe: typeof SITE_EVENT_MESSAGES = {
  meterLost: 'Zähler {{meter}} ausgefallen: {{fault}}',
  meterRecovered: 'Zähler {{meter}} wieder da',
  chargerStatus: 'Ladepunkt {{charger}}, Anschluss {{connector}}: {{status}}',
  profileRejected: 'Ladepunkt {{charger}} hat {{amps}} A an Anschluss {{connector}} abgelehnt',
  chargerUnresponsive: 'Ladepunkt {{charger}} antwortet nicht',
  connected: 'Ladepunkt {{charger}} verbunden',
  connectedFrom: 'Ladepunkt {{charger}} verbunden von {{address}}',
  disconnected: 'Ladepunkt {{charger}} getrennt',
  disconnectedCode: 'Ladepunkt {{charger}} getrennt (Code {{code}})',
  disconnectedBecause: 'Ladepunkt {{charger}} getrennt ({{reason}})',
  disconnectedCodeBecause: 'Ladepunkt {{charger}} getrennt (Code {{code}}, {{reason}})',
  booted: 'Ladepunkt {{charger}} gestartet: {{vendor}} {{model}} ({{registration}})',
  bootedFirmware: 'Ladepunkt {{charger}} gestartet: {{vendor}} {{model}}, Firmware {{firmware}} ({{registration}})',
  faulted: 'Ladepunkt {{charger}}, Anschluss {{connector}} gestört: {{fault}}',
  faultedInfo: 'Ladepunkt {{charger}}, Anschluss {{connector}} gestört: {{fault}} ({{info}})',
  recovered: 'Ladepunkt {{charger}}, Anschluss {{connector}} wieder in Ordnung ({{status}})',
  master: '{{node}} ist Master in Amtszeit {{term}}',
  fenced: '{{node}} hat sich in Amtszeit {{term}} selbst abgeschaltet: {{reason}}',
  majorityGained:
    '{{node}} hält die Mehrheit der Ladepunkte des Standorts ({{counted}} von {{site}}) und darf über den Fail-safe-Strom gehen',
  majorityLost:
    '{{node}} hält die Mehrheit der Ladepunkte des Standorts nicht mehr ({{counted}} von {{site}}): nur Fail-safe-Strom',
  policyApplied: 'Cloud-Richtlinie Version {{version}} angewendet',
  localPolicyApplied: 'lokale Änderung der Richtlinie angewendet (auf Grundlage der Cloud-Version {{version}})',
  policyRefused: 'Cloud-Richtlinie Version {{version}} abgelehnt',
  shadowOtherThing: 'Shadow-Nachricht für ein anderes Gerät „{{thing}}“',
  shadowTooLarge: 'Shadow-Nachricht mit {{bytes}} Bytes ist größer als {{maximum}}',
  shadowNotJson: 'Shadow-Nachricht ist kein JSON',
  shadowMalformed: 'fehlerhaftes Shadow-Dokument',
  deltaMalformed: 'fehlerhaftes Shadow-Delta',
  agentStarted: 'Agent gestartet',
  connectorAdopted:
    'Anschluss {{connector}} steht nicht in der Standortdatei: unter seinem Ladepunkt übernommen ({{cause}})',
  connectorRefused: 'Anschluss {{connector}} kann nicht geregelt werden: {{reason}}',
  lockout: 'Anmeldesperre ({{source}}): {{lockout}}',
};
