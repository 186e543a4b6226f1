/** German: what the servers say (errors-en.ts has the English and says where it comes from). */
import type { errorsEn } from './errors-en';
import { eventsDe } from './events-de';
import { meterFaultsDe } from './meter-faults-de';
import { meterSettingsDe } from './meter-settings-de';
import { siteEventsDe } from './site-events-de';
import { clusterFenceDe } from './cluster-fence-de';
import { managedKeysDe } from './managed-keys-de';
import { storageCausesDe } from './storage-causes-de';
import { chargerCloseDe } from './charger-close-de';

export const errorsDe: typeof errorsEn = {
  server: {
    signIn: {
      wrongCredentials: 'Benutzername oder Passwort falsch',
      tooManyAttemptsUser: 'Zu viele fehlgeschlagene Anmeldungen für „{{user}}“: in {{seconds}} s erneut versuchen',
      tooManyAttemptsAddress:
        'Zu viele fehlgeschlagene Anmeldungen von dieser Adresse: in {{seconds}} s erneut versuchen',
      required: 'Bitte zuerst anmelden (keine Sitzung, oder sie ist abgelaufen)',
    },
    site: {
      stale:
        'Der Standort wurde seit Version {{baseVersion}} geändert: jetzt gilt Version {{current}}; laden Sie sie und nehmen Sie die Änderung erneut vor',
      versionInForce: 'Version {{current}} gilt',
      idCharacters: 'nur Buchstaben, Ziffern und . _ : - sind erlaubt',
      unknownTimezone: 'unbekannte Zeitzone „{{timezone}}“',
      duplicateCircuit: 'Stromkreis-ID „{{id}}“ kommt doppelt vor',
      oneRoot: 'genau ein Stromkreis muss parent null haben (der Netzanschluss), gefunden: {{count}}',
      unknownParent: 'unbekannter übergeordneter Stromkreis „{{parent}}“',
      cycle: 'Stromkreis „{{id}}“ ist Teil eines Zyklus',
      duplicateCharger: 'Ladepunkt-ID „{{id}}“ kommt doppelt vor',
      unknownCircuit: 'unbekannter Stromkreis „{{circuit}}“',
      chargerMinAboveMax: 'minAmps {{minAmps}} liegt über maxAmps {{maxAmps}}',
      duplicateConnector: 'Anschluss-Nummer {{id}} kommt doppelt vor',
      connectorMinAboveMax: 'minAmps {{minAmps}} liegt über dem Höchstwert des Anschlusses ({{maxAmps}})',
      connectorRef: 'erwartet „<Ladepunkt>/<Anschluss>“, z. B. „CP-1/1“',
      commandId: 'erwartet 8 bis 64 Buchstaben, Ziffern oder . _ : -',
    },
    policy: {
      stale:
        'Die Richtlinie ist bei Version {{current}}, nicht {{expected}}: neu laden und die Änderung erneut vornehmen',
      currentVersion: 'aktuelle Version ist {{current}}',
      unknownConnector: 'Ladepunkt „{{connector}}“ gehört nicht zu diesem Standort',
      budgetMinAboveMax: 'Minimum {{min}} liegt über dem Maximum {{max}}',
      budgetBelowOneCar: 'Budget {{max}} {{unit}} liegt unter dem Minimum eines Fahrzeugs ({{floor}} {{unit}})',
      failSafeTooLow: 'muss 0 oder mindestens {{minimum}} A sein (darunter können Fahrzeuge nicht laden)',
      imbalanceTooLow: 'muss mindestens {{minimum}} A sein, sonst könnte ein einphasiges Fahrzeug nie laden',
      timeOfDay: 'erwartet HH:MM',
      scheduleOutsideBudget: 'muss zwischen dem Minimum {{min}} und dem Maximum {{max}} des Budgets liegen',
      scheduleEmpty: 'Von und Bis sind gleich: das Zeitfenster ist leer',
      scheduleOverlap: 'überschneidet sich mit Zeitplan {{other}}',
      levelTwice: 'Stufe {{level}} ist doppelt definiert',
      idTagInLevel: 'ID-Tag „{{idTag}}“ ist bereits in Stufe {{level}}',
      connectorInLevel: 'Anschluss „{{connector}}“ ist bereits in Stufe {{level}}',
      demandNoTarget:
        'Zielwert setzen oder der Monatsspitze folgen: ohne beides gibt es nichts, unter dem die Leistung gehalten wird',
      demandNeedsDynamic: 'braucht dynamische Regelung: die Leistung wird am Netzzähler gemessen',
    },
    demand: {
      currencyCode: 'ein dreibuchstabiger Währungscode nach ISO 4217, z. B. EUR',
      previewNoDemand: 'Die Richtlinie schaltet demandControl nicht ein: kein Zielwert für die Vorschau',
      previewPastPeriod: 'Die Periode der Richtlinie dauert {{seconds}} s: weniger angeben',
    },
    cluster: {
      noQuorum:
        'etcd antwortet nicht (kein Quorum: weniger als zwei seiner drei Mitglieder erreichbar): die Wahl wurde nicht geändert; erneut versuchen, sobald etcd wieder vollständig ist',
      electionStale:
        'Die Wahl wurde seit Version {{expected}} geändert (jetzt Version {{current}}): neu laden und die Änderung erneut vornehmen',
      orderNodes: 'muss jeden Knoten des Standorts genau einmal nennen: {{nodes}}',
      noCluster:
        'Dieser Agent hat keinen Cluster-Abschnitt: er ist der einzige Master des Standorts, ohne Wahl zum Ändern',
      noEtcd:
        'Ein Standort ohne Zeugen betreibt kein etcd: seine Wahl ist die statische Reihenfolge seiner Konfiguration',
      notMaster:
        'Dieser Knoten ist nicht der Master des Standorts: die Änderung auf dem Dashboard des Masters vornehmen (der nächste Master übernimmt dessen Änderungen, nicht die eines Standby-Knotens)',
    },
    charger: {
      accepted: 'Der Ladepunkt hat {{what}} angenommen',
      notSupported: 'Der Ladepunkt unterstützt {{what}} nicht',
      rejected: 'Der Ladepunkt hat {{what}} abgelehnt ({{status}})',
      notConnected: 'Der Ladepunkt ist nicht verbunden: {{what}} ist gespeichert und gilt, sobald er sich verbindet',
      timeout: 'Der Ladepunkt hat auf {{what}} nicht rechtzeitig geantwortet',
      error: 'Der Ladepunkt hat {{what}} mit einem Fehler beantwortet ({{code}})',
      enterPassword: 'Geben Sie das neue Passwort am Ladepunkt ein, sonst kann er sich nicht wieder verbinden',
      vipOn: '{{id}} ist jetzt ein VIP-Ladepunkt',
      vipOff: '{{id}} ist kein VIP-Ladepunkt mehr',
      vipDisabled: 'VIP-Laden ist in den Lastmanagement-Einstellungen ausgeschaltet',
    },
    account: {
      currentPasswordWrong: 'das aktuelle Passwort ist falsch',
      wrongPassword: 'falsches Passwort',
    },
    adoption: {
      passwordNeeded:
        'Ladepunkte melden sich hier mit einem Passwort an: das Passwort angeben, mit dem sich dieser Ladepunkt anmeldet',
      passwordRequired: 'erforderlich, solange ocpp.basicAuth eingeschaltet ist',
    },
    testRequest: {
      noConnector: 'den freien Anschluss wählen, an dem das Testfahrzeug laden würde',
      unknownConnector: 'Anschluss {{connector}} gehört nicht zu diesem Standort',
      busyConnector: 'an Anschluss {{connector}} hängt schon ein Fahrzeug: einen freien wählen',
    },
    chargerAction: {
      switchOn: 'das Einschalten',
      switchOff: 'das Ausschalten',
      password: 'das neue Passwort',
    },
    push: {
      noGateway: 'der Standort hat kein Gateway',
      unreachable:
        'das Gateway war nicht erreichbar; die Richtlinie ist gespeichert und wird beim nächsten Schreiben oder bei der nächsten Registrierung gesendet',
      failed: 'interner Fehler',
    },
    export: {
      tooManySessions: 'der Zeitraum enthält mehr als {{maximum}} Ladevorgänge: bitte einen kürzeren wählen',
    },
    event: eventsDe,
    meterFault: meterFaultsDe,
    field: {
      invalid: 'ungültiger Wert',
      expectedNumber: 'muss eine Zahl sein',
      expectedText: 'muss ein Text sein',
      expectedBoolean: 'muss ja oder nein sein',
      expectedList: 'muss eine Liste sein',
      expectedObject: 'muss eine Gruppe von Feldern sein',
      required: 'Pflichtfeld',
      atLeast: 'muss mindestens {{minimum}} sein',
      moreThan: 'muss größer als {{minimum}} sein',
      atMost: 'darf höchstens {{maximum}} sein',
      lessThan: 'muss kleiner als {{maximum}} sein',
      minLength: 'muss mindestens {{minimum}} Zeichen haben',
      maxLength: 'darf höchstens {{maximum}} Zeichen haben',
      minItems: 'muss mindestens {{minimum}} Einträge haben',
      maxItems: 'darf höchstens {{maximum}} Einträge haben',
      multipleOf: 'muss ein Vielfaches von {{divisor}} sein',
      format: 'kein gültiges Format ({{format}})',
      oneOf: 'muss einer dieser Werte sein: {{values}}',
      unknownKeys: 'unbekannte Felder: {{keys}}',
      notReasonOf: 'kein Grund von {{kind}}',
      paramsWithoutReason: 'Parameter ohne Grund',
      jsonTooLong: 'höchstens {{maximum}} Zeichen als JSON',
    },
    meterSettings: meterSettingsDe,
    siteEvent: siteEventsDe,
    clusterFence: clusterFenceDe,
    managedKey: managedKeysDe,
    storageCause: storageCausesDe,
    chargerClose: chargerCloseDe,
  },
  code: {
    config: { invalid: 'Die Konfiguration ist ungültig' },
    policy: { invalid: 'Die Richtlinie ist ungültig', tooLarge: 'Die Richtlinie ist zu groß' },
    site: { invalid: 'Der Standort ist ungültig' },
    state: { invalid: 'Der Zustand des Standorts ist ungültig' },
    message: { invalid: 'Die Anfrage ist ungültig', tooLarge: 'Die Anfrage ist zu groß' },
    auth: {
      unauthenticated: 'Bitte zuerst anmelden',
      forbidden: 'Das dürfen Sie nicht',
      tooManyAttempts: 'Zu viele fehlgeschlagene Anmeldungen: später erneut versuchen',
    },
    resource: {
      notFound: 'Nicht gefunden',
      conflict: 'Inzwischen von jemand anderem geändert: bitte neu laden',
    },
    charger: {
      rejected: 'Der Ladepunkt hat abgelehnt',
      timeout: 'Der Ladepunkt hat nicht rechtzeitig geantwortet',
    },
    meter: { unavailable: 'Der Zähler kann nicht gelesen werden' },
    storage: { unavailable: 'Die Änderung konnte nicht gespeichert werden: der Datenträger nimmt nichts auf' },
    cluster: { noQuorum: 'etcd hat kein Quorum: erneut versuchen, sobald es wieder vollständig ist' },
    internal: 'Interner Fehler: siehe Protokoll',
  },
};
