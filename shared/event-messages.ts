/**
 * What the agent's event list says (the dashboard's monitoring page), in English, keyed by a stable reason under
 * `event.` in shared/server-messages.ts: an event line carries the reason and its parameters beside this text, so the
 * page shows it in the reader's language (German: browser/ui/i18n/messages/events-de.ts). A parameter that is a
 * charger's own words (the close reason it gave, an error code) stays as written; the agent's own close reasons and a
 * paused disk's cause are said by reason (shared/charger-close-messages.ts, shared/storage-causes.ts).
 */
export const EVENT_MESSAGES = {
  profileFailed: 'limit {{amps}} A {{outcome}} ({{failures}} in a row); retry in {{seconds}} s',
  chargerUnresponsive: 'does not answer: its last limit stays reserved',
  chargerResponsive: 'answers again',
  meterLost: 'lost ({{reason}}): circuit {{circuit}} runs on the fail-safe budget',
  meterRecovered: 'back: dynamic control of circuit {{circuit}} resumes',
  connectorAdopted:
    "not in the site file: adopted under its charger's circuit and maximum ({{cause}}); list it in the site file to make this permanent",
  connectorNotControlled: 'not controlled: {{reason}}',
  transactionRefused: 'transaction {{transactionId}} refused (answered Invalid): {{reason}}',
  sessionStarted: 'session {{transactionId}} started ({{idTag}})',
  sessionEnded: 'session {{transactionId}} ended: {{kwh}} kWh',
  storagePaused: 'storage unavailable: history paused ({{reason}}); control carries on from memory, writes are retried',
  storageRecovered: 'storage recovered: {{writes}} waiting writes stored',
  connected: 'connected',
  connectedFrom: 'connected from {{address}}',
  connectionReplaced:
    'connected again while connected: the older connection was closed (two devices with one identity would keep doing this)',
  connectionReplacedFrom:
    'connected again from {{address}} while connected from {{previous}}: the older connection was closed (two devices with one identity would keep doing this)',
  disconnected: 'disconnected',
  disconnectedBecause: 'disconnected ({{reason}})',
  booted: 'booted: {{vendor}} {{model}} ({{registration}})',
  bootedFirmware: 'booted: {{vendor}} {{model}}, firmware {{firmware}} ({{registration}})',
  failSafeRefused: 'refused the fail-safe profile: without a lease it would run at its own maximum',
  connectorFault: 'connector {{connector}} {{status}}: {{errorCode}}',
  connectorFaultInfo: 'connector {{connector}} {{status}}: {{errorCode}} ({{info}})',
  lockedOutSeconds: '{{subject}} locked out for {{seconds}} s after {{failures}} failed attempts',
  lockedOutMinutes: '{{subject}} locked out for {{minutes}} min after {{failures}} failed attempts',
  policySaved: 'load management settings saved on the dashboard and in force',
  /** Who a sign-in lockout is about, filled into `lockedOut…`. */
  lockoutSubject: { user: 'user "{{key}}"', charger: 'charger "{{key}}"', address: 'address {{key}}' },
  /** What a refused limit met, filled into `profileFailed`. */
  outcome: {
    rejected: 'rejected',
    error: 'answered with an error',
    timeout: 'not answered in time',
    notConnected: 'not sent: not connected',
  },
  /** A BootNotification's answer (OCPP RegistrationStatus), filled into `booted`. */
  registration: { Accepted: 'accepted', Pending: 'pending', Rejected: 'rejected' },
  /** Why a connector was adopted, filled into `connectorAdopted`. */
  adoptionCause: {
    status: 'the charger reported it',
    transaction: 'a transaction started on it',
    storedSession: 'a stored session runs on it',
  },
  /** Why a connector the site does not list cannot be adopted, filled into `connectorNotControlled` and `transactionRefused`. */
  adoptionRefused: {
    notInSite: 'charger {{chargerId}} is not in the site file: it has no circuit to be controlled under',
    notConnectorId: 'connector {{connectorId}} is not a connector id',
    beyondReported:
      'connector {{connectorId}} is beyond the {{reported}} connectors the charger reports (NumberOfConnectors)',
    tooMany: 'connector {{connectorId}} would exceed the {{max}} connectors a charger may have',
  },
  /** An event's source when it is not a charger, connector or meter. */
  source: {
    storage: 'storage',
    dashboardSignIn: 'dashboard sign-in',
    ocppSignIn: 'charger sign-in (OCPP)',
    policy: 'policy',
    siteSetup: 'site setup',
  },
  /** The links to the operator's CSMS (edge/upstream/upstream-link-report.ts, the dashboard's purge of a message). */
  upstream: {
    source: 'CSMS link',
    oneCharger: 'charger {{named}}',
    chargers: '{{count}} chargers ({{named}})',
    lost: 'CSMS link lost for {{who}}; the agent answers as the CSMS and keeps their transaction messages',
    recovered: 'CSMS link back for {{who}}, with {{backlog}} queued messages to deliver',
    thinned:
      "{{total}} queued meter values dropped by the backlog's bound for {{who}} (the curve thinned, starts, stops and billed energy kept)",
    unwritten:
      'CSMS forward log cannot be written for {{who}} ({{total}} writes refused, the disk is full or failing): their messages get a CALLERROR and stay with the chargers, delivery waits for the disk',
    purged:
      '{{action}} {{seq}} of {{charger}}, set aside ({{why}}), purged on the dashboard: the CSMS will never get it',
    refused: 'refused',
    unmapped: 'unmapped',
  },
  /** A charger switched on or off, or given a password, on the dashboard; `outcome` is what the charger answered. */
  switchedOn: 'switched on on the dashboard: {{outcome}}',
  switchedOff: 'switched off on the dashboard: {{outcome}}',
  passwordSet: 'password set on the dashboard: {{outcome}}',
  passwordGenerated: 'password generated on the dashboard: {{outcome}}',
  /** A site version put in force (edge/dashboard/actions/site-change-report.ts); `changes` lists `siteItems…`. */
  siteChanged: 'site version {{version}} ({{source}}) by {{author}}: {{changes}}',
  siteItemsAdded: '{{items}} added: {{count}}',
  siteItemsRemoved: '{{items}} removed: {{count}}',
  siteItemsChanged: '{{items}} changed: {{count}}',
  siteUnchanged: 'no charger, circuit or meter changed',
  siteItems: { chargers: 'chargers', circuits: 'circuits', meters: 'meters' },
  /** How a site version came about, filled into `siteChanged`. */
  siteSource: { file: 'site file', edit: 'edit', adoption: 'adoption', restore: 'restore' },
};
