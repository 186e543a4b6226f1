/** German: why the agent closed a charger's connection (shared/charger-close-messages.ts has the English and says where it comes from). */
import type { CHARGER_CLOSE_MESSAGES } from '../../../../shared/charger-close-messages';

export const chargerCloseDe: typeof CHARGER_CLOSE_MESSAGES = {
  replaced: 'durch eine neuere Verbindung mit derselben Kennung ersetzt',
  notMaster: 'dieser Knoten ist nicht der Master des Clusters',
  noLongerMaster: 'dieser Knoten ist nicht mehr der Master des Clusters',
  siteChanged: 'der Standort wurde geändert: neu verbinden',
  stopping: 'das Zentralsystem wird beendet',
  csmsLost: 'Verbindung zum CSMS verloren',
  csmsUnreachable: 'CSMS nicht erreichbar',
};
