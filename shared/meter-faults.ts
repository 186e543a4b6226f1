/**
 * Why a grid meter's poll failed, in English, keyed by a stable reason under `meterFault.` in
 * shared/server-messages.ts: a failed sample carries the reason and its parameters (edge/meter/grid-meter.ts), so the
 * dashboard's meter table shows it in the reader's language (German: browser/ui/i18n/messages/meter-faults-de.ts). A
 * `detail` parameter is the Modbus library's own words and stays as written.
 */
export const METER_FAULT_MESSAGES = {
  connectRefused: 'connection refused; trying again in {{seconds}} s',
  connectFailed: 'cannot connect ({{detail}}); trying again in {{seconds}} s',
  disconnected: 'not connected; trying again in {{seconds}} s',
  timeout: 'no answer to a read of {{count}} registers at {{address}}; reconnecting in {{seconds}} s',
  exception: 'Modbus exception {{code}} on a read of {{count}} registers at {{address}}',
  corrupt: 'corrupt answer (CRC) to a read of {{count}} registers at {{address}}',
  linkLost: 'link lost reading {{count}} registers at {{address}} ({{detail}}); reconnecting in {{seconds}} s',
  undecodable: 'the answer cannot be decoded ({{detail}})',
  driverError: 'driver error ({{detail}})',
  settingsChanged: 'meter settings changed: reading again with the new settings',
  noReading: 'no reading',
  invalid: 'invalid reading',
  /** Not a poll's fault: the control loop does not use the meter's readings yet (edge/control/meter-probation.ts). */
  probation:
    'lost again soon after it came back: its readings count again once it has read {{seconds}} s without a gap',
  /** Values the meter sent that cannot be right (edge/meter/sample-validation.ts); `quantity` is one of `quantity`. */
  notANumber: '{{quantity}} is {{value}}',
  outside: '{{quantity}} {{value}} outside {{minimum}}..{{maximum}}',
  above: '{{quantity}} {{value}} above {{maximum}}',
  negative: '{{quantity}} {{value}} is negative',
  negativeWithoutExport: '{{quantity}} {{value}} is negative but the phase does not export ({{watts}} W)',
  aboveApparent: '{{quantity}} {{value}} exceed volts × amps ({{apparent}} VA)',
  jumped: '{{phase}} amps jumped by {{step}} since the last poll (limit {{limit}})',
  energyBackwards: 'import Wh went backwards by {{wh}}',
  energyTooFast: 'import Wh rose by {{wh}} in {{ms}} ms, more than {{possible}} is possible',
  /** The value a plausibility rule judged, filled into the rules above. */
  quantity: {
    volts: '{{phase}} volts',
    amps: '{{phase}} amps',
    watts: '{{phase}} watts',
    totalWatts: 'total watts',
    importWh: 'import Wh',
  },
};
