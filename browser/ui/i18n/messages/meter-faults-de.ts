/** German: why a grid meter's poll failed (shared/meter-faults.ts has the English and says where it comes from). */
import type { METER_FAULT_MESSAGES } from '../../../../shared/meter-faults';

export const meterFaultsDe: typeof METER_FAULT_MESSAGES = {
  connectRefused: 'Verbindung abgewiesen; neuer Versuch in {{seconds}} s',
  connectFailed: 'keine Verbindung ({{detail}}); neuer Versuch in {{seconds}} s',
  disconnected: 'nicht verbunden; neuer Versuch in {{seconds}} s',
  timeout: 'keine Antwort beim Lesen von {{count}} Registern ab {{address}}; neue Verbindung in {{seconds}} s',
  exception: 'Modbus-Ausnahme {{code}} beim Lesen von {{count}} Registern ab {{address}}',
  corrupt: 'beschädigte Antwort (CRC) beim Lesen von {{count}} Registern ab {{address}}',
  linkLost:
    'Verbindung beim Lesen von {{count}} Registern ab {{address}} verloren ({{detail}}); neue Verbindung in {{seconds}} s',
  undecodable: 'die Antwort lässt sich nicht entschlüsseln ({{detail}})',
  driverError: 'Treiberfehler ({{detail}})',
  noReading: 'kein Messwert',
  invalid: 'ungültiger Messwert',
  probation:
    'kurz nach seiner Rückkehr erneut ausgefallen: seine Werte zählen wieder, sobald er {{seconds}} s ohne Lücke gelesen hat',
  settingsChanged: 'Zählereinstellungen geändert: wird mit den neuen Einstellungen erneut gelesen',
  notANumber: '{{quantity}} ist {{value}}',
  outside: '{{quantity}} {{value}} außerhalb von {{minimum}}..{{maximum}}',
  above: '{{quantity}} {{value}} über {{maximum}}',
  negative: '{{quantity}} {{value}} ist negativ',
  negativeWithoutExport: '{{quantity}} {{value}} ist negativ, aber die Phase speist nicht ein ({{watts}} W)',
  aboveApparent: '{{quantity}} {{value}} übersteigt Spannung × Strom ({{apparent}} VA)',
  jumped: 'Strom {{phase}} ist seit der letzten Abfrage um {{step}} gesprungen (Grenze {{limit}})',
  energyBackwards: 'Bezug in Wh ist um {{wh}} zurückgegangen',
  energyTooFast: 'Bezug in Wh ist in {{ms}} ms um {{wh}} gestiegen, mehr als die möglichen {{possible}}',
  quantity: {
    volts: 'Spannung {{phase}}',
    amps: 'Strom {{phase}}',
    watts: 'Leistung {{phase}}',
    totalWatts: 'Gesamtleistung',
    importWh: 'Bezug in Wh',
  },
};
