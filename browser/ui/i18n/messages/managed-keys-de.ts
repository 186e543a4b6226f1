/** German: why the agent manages an OCPP configuration key (shared/managed-key-messages.ts has the English). */
import type { MANAGED_KEY_MESSAGES } from '../../../../shared/managed-key-messages';

export const managedKeysDe: typeof MANAGED_KEY_MESSAGES = {
  sampleInterval: 'vom Agenten bei jedem Start gesetzt: die Regelung beurteilt Fahrzeuge nach so frischen Messwerten',
  sampledData: 'vom Agenten bei jedem Start gesetzt: Ströme je Phase müssen ankommen',
  rateUnit: 'vom Agenten beim Start gelesen, um die Einheit seiner Grenzwerte zu wählen',
  stackLevel: 'vom Agenten beim Start gelesen, um seine Grenzwerte über den Fail-Safe zu stapeln',
  schedulePeriods: 'vom Agenten beim Start gelesen, um seine Zeitpläne zu bemessen',
  phaseRotation: 'vom Agenten beim Start gelesen: die Zuteilung zählt jede Phase danach',
  connectors: 'vom Agenten beim Start gelesen, um die Anschlüsse zu kennen',
  authorizationKey: 'das Passwort, das der Agent prüft: auf der Geräteseite setzen',
};
