/** German: the meter settings' own rules (shared/meter-settings.ts has the English and says where they come from). */
import type { METER_SETTINGS_MESSAGES } from '../../../../shared/meter-settings';

export const meterSettingsDe: typeof METER_SETTINGS_MESSAGES = {
  timeoutAboveInterval: 'darf intervalMs nicht übersteigen',
  backoffBelowInitial: 'darf nicht unter backoffInitialMs liegen',
  maxVoltsNotAbove: 'muss über minVolts liegen',
  customMapRequired: 'Pflichtfeld, wenn das Modell „custom“ ist',
  customMapNotAllowed: 'nur erlaubt, wenn das Modell „custom“ ist, nicht „{{model}}“',
  duplicateMeter: 'doppelte Zähler-ID „{{meterId}}“',
  scaleZero: 'der Faktor darf nicht 0 sein',
  pastLastAddress: 'das Register reicht über die Adresse 65535 hinaus',
  tooManyWords: 'braucht mehr Wörter als maxRegistersPerRead ({{maximum}})',
  unknownMeter: 'kein Zähler mit der Zähler-ID „{{meterId}}“ eingerichtet',
  measuredTwice: 'Zähler „{{meterId}}“ misst schon Stromkreis „{{other}}“; ein Zähler misst einen Stromkreis',
  roleMisfit: 'Zähler „{{meterId}}“ hat die Rolle „{{role}}“, aber {{misfit}}',
  misfit: {
    notGrid: 'Stromkreis „{{circuit}}“ ist nicht der Netzanschluss (er hängt an „{{parent}}“)',
    isGrid: 'Stromkreis „{{circuit}}“ ist der Netzanschluss',
    feedsChargers:
      'Stromkreis „{{circuit}}“ versorgt Ladepunkte ({{chargers}}), die der Zähler eines PV-Wechselrichters nicht schützen kann',
  },
};
