/** German: what the servers say (errors-en.ts has the English and says where it comes from). */
import type { errorsEn } from './errors-en';

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
    },
    policy: {
      stale:
        'Die Richtlinie ist bei Version {{current}}, nicht {{expected}}: neu laden und die Änderung erneut vornehmen',
      currentVersion: 'aktuelle Version ist {{current}}',
      unknownConnector: 'Ladepunkt „{{connector}}“ gehört nicht zu diesem Standort',
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
    chargerAction: {
      switchOn: 'das Einschalten',
      switchOff: 'das Ausschalten',
      password: 'das neue Passwort',
    },
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
    },
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
    internal: 'Interner Fehler: siehe Protokoll',
  },
};
