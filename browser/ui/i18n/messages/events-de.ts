/** German: the agent's event list (shared/event-messages.ts has the English and says where it comes from). */
import type { EVENT_MESSAGES } from '../../../../shared/event-messages';

export const eventsDe: typeof EVENT_MESSAGES = {
  profileFailed: 'Grenze {{amps}} A {{outcome}} ({{failures}}-mal in Folge); neuer Versuch in {{seconds}} s',
  chargerUnresponsive: 'antwortet nicht: seine letzte Grenze bleibt reserviert',
  chargerResponsive: 'antwortet wieder',
  meterLost: 'ausgefallen ({{reason}}): Stromkreis {{circuit}} läuft mit dem Ersatzbudget',
  meterRecovered: 'wieder da: die dynamische Regelung von Stromkreis {{circuit}} läuft weiter',
  connectorAdopted:
    'nicht in der Standortdatei: unter Stromkreis und Maximum seines Ladepunkts übernommen ({{cause}}); in die Standortdatei eintragen, um ihn dauerhaft aufzunehmen',
  connectorNotControlled: 'nicht geregelt: {{reason}}',
  transactionRefused: 'Ladevorgang {{transactionId}} abgelehnt (mit Invalid beantwortet): {{reason}}',
  sessionStarted: 'Ladevorgang {{transactionId}} begonnen ({{idTag}})',
  sessionEnded: 'Ladevorgang {{transactionId}} beendet: {{kwh}} kWh',
  storagePaused:
    'Speicher nicht verfügbar: Verlauf angehalten ({{reason}}); die Regelung läuft aus dem Arbeitsspeicher weiter, Schreibvorgänge werden wiederholt',
  storageRecovered: 'Speicher wieder verfügbar: {{writes}} wartende Schreibvorgänge gespeichert',
  connected: 'verbunden',
  connectedFrom: 'verbunden von {{address}}',
  connectionReplaced:
    'erneut verbunden, während er verbunden war: die ältere Verbindung wurde geschlossen (zwei Geräte mit einer Kennung würden das immer wieder tun)',
  connectionReplacedFrom:
    'erneut verbunden von {{address}}, während er von {{previous}} verbunden war: die ältere Verbindung wurde geschlossen (zwei Geräte mit einer Kennung würden das immer wieder tun)',
  disconnected: 'getrennt',
  disconnectedBecause: 'getrennt ({{reason}})',
  booted: 'gestartet: {{vendor}} {{model}} ({{registration}})',
  bootedFirmware: 'gestartet: {{vendor}} {{model}}, Firmware {{firmware}} ({{registration}})',
  failSafeRefused: 'hat das Ausfallprofil abgelehnt: ohne Zuteilung würde er mit seinem eigenen Maximum laden',
  connectorFault: 'Anschluss {{connector}} {{status}}: {{errorCode}}',
  connectorFaultInfo: 'Anschluss {{connector}} {{status}}: {{errorCode}} ({{info}})',
  lockedOutSeconds: '{{subject}} nach {{failures}} fehlgeschlagenen Versuchen für {{seconds}} s gesperrt',
  lockedOutMinutes: '{{subject}} nach {{failures}} fehlgeschlagenen Versuchen für {{minutes}} min gesperrt',
  policySaved: 'Lastmanagement-Einstellungen im Dashboard gespeichert und in Kraft',
  lockoutSubject: { user: 'Benutzer „{{key}}“', charger: 'Ladepunkt „{{key}}“', address: 'Adresse {{key}}' },
  outcome: {
    rejected: 'abgelehnt',
    error: 'mit einem Fehler beantwortet',
    timeout: 'nicht rechtzeitig beantwortet',
    notConnected: 'nicht gesendet: nicht verbunden',
  },
  registration: { Accepted: 'angenommen', Pending: 'ausstehend', Rejected: 'abgelehnt' },
  adoptionCause: {
    status: 'der Ladepunkt hat ihn gemeldet',
    transaction: 'ein Ladevorgang hat auf ihm begonnen',
    storedSession: 'ein gespeicherter Ladevorgang läuft auf ihm',
  },
  adoptionRefused: {
    notInSite:
      'Ladepunkt {{chargerId}} steht nicht in der Standortdatei: er hat keinen Stromkreis, unter dem er geregelt werden könnte',
    notConnectorId: '{{connectorId}} ist keine Anschlussnummer',
    beyondReported:
      'Anschluss {{connectorId}} liegt über den {{reported}} Anschlüssen, die der Ladepunkt meldet (NumberOfConnectors)',
    tooMany: 'Anschluss {{connectorId}} würde die {{max}} Anschlüsse überschreiten, die ein Ladepunkt haben darf',
  },
  source: {
    storage: 'Speicher',
    dashboardSignIn: 'Anmeldung am Dashboard',
    ocppSignIn: 'Anmeldung eines Ladepunkts (OCPP)',
    policy: 'Richtlinie',
    siteSetup: 'Standort-Einrichtung',
  },
  upstream: {
    source: 'CSMS-Anbindung',
    oneCharger: 'Ladepunkt {{named}}',
    chargers: '{{count}} Ladepunkte ({{named}})',
    lost: 'CSMS-Verbindung verloren für {{who}}; der Agent antwortet an Stelle des CSMS und behält ihre Transaktionsnachrichten',
    recovered: 'CSMS-Verbindung wieder da für {{who}}, mit {{backlog}} wartenden Nachrichten zum Zustellen',
    thinned:
      '{{total}} wartende Messwerte wegen der Obergrenze des Rückstands verworfen für {{who}} (Verlauf ausgedünnt, Beginn, Ende und abgerechnete Energie bleiben)',
    unwritten:
      'CSMS-Weiterleitungsprotokoll kann für {{who}} nicht geschrieben werden ({{total}} Schreibvorgänge abgewiesen, der Datenträger ist voll oder defekt): ihre Nachrichten erhalten einen CALLERROR und bleiben bei den Ladepunkten, die Zustellung wartet auf den Datenträger',
    purged:
      '{{action}} {{seq}} von {{charger}}, zurückgestellt ({{why}}), im Dashboard gelöscht: das CSMS wird sie nie erhalten',
    refused: 'abgelehnt',
    unmapped: 'ohne Zuordnung',
  },
  switchedOn: 'im Dashboard eingeschaltet: {{outcome}}',
  switchedOff: 'im Dashboard ausgeschaltet: {{outcome}}',
  passwordSet: 'Passwort im Dashboard gesetzt: {{outcome}}',
  passwordGenerated: 'Passwort im Dashboard erzeugt: {{outcome}}',
  siteChanged: 'Standortversion {{version}} ({{source}}) von {{author}}: {{changes}}',
  siteItemsAdded: '{{items}} hinzugefügt: {{count}}',
  siteItemsRemoved: '{{items}} entfernt: {{count}}',
  siteItemsChanged: '{{items}} geändert: {{count}}',
  siteUnchanged: 'kein Ladepunkt, Stromkreis oder Zähler geändert',
  siteItems: { chargers: 'Ladepunkte', circuits: 'Stromkreise', meters: 'Zähler' },
  siteSource: { file: 'Standortdatei', edit: 'Bearbeitung', adoption: 'Übernahme', restore: 'Wiederherstellung' },
};
