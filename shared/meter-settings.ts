/**
 * The meter settings' own rules (edge/meter/meter-config.ts, edge/meter/register-map.ts), in English, keyed by a
 * stable reason under `meterSettings.` in shared/server-messages.ts: the site page shows them at their fields in the
 * reader's language (German: browser/ui/i18n/messages/meter-settings-de.ts).
 */
export const METER_SETTINGS_MESSAGES = {
  timeoutAboveInterval: 'must not exceed intervalMs',
  backoffBelowInitial: 'must not be below backoffInitialMs',
  maxVoltsNotAbove: 'must be above minVolts',
  customMapRequired: 'required when model is "custom"',
  customMapNotAllowed: 'only allowed when model is "custom", not "{{model}}"',
  duplicateMeter: 'duplicate meterId "{{meterId}}"',
  scaleZero: 'scale must not be 0',
  pastLastAddress: 'register runs past address 65535',
  tooManyWords: 'needs more words than maxRegistersPerRead ({{maximum}})',
  /** How the meters map onto the circuit tree. */
  unknownMeter: 'no meter configured with meterId "{{meterId}}"',
  measuredTwice: 'meter "{{meterId}}" already measures circuit "{{other}}"; a meter measures one circuit',
  roleMisfit: 'meter "{{meterId}}" has role "{{role}}" but {{misfit}}',
  /** Why a meter's role does not fit its circuit, filled into `roleMisfit`. */
  misfit: {
    notGrid: 'circuit "{{circuit}}" is not the grid connection (its parent is "{{parent}}")',
    isGrid: 'circuit "{{circuit}}" is the grid connection',
    feedsChargers: 'circuit "{{circuit}}" feeds chargers ({{chargers}}), which a PV inverter\'s meter cannot protect',
  },
};
