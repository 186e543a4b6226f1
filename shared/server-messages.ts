/**
 * The messages the agent's dashboard API and the cloud API send, in English, keyed by a stable reason
 * (`signIn.wrongCredentials`). An answer carries the reason and its parameters beside the English text, so the pages
 * show it in the reader's language: this table is the English catalogue's `errors.server` section, the German one
 * mirrors it (browser/ui/i18n/messages/errors-de.ts). Placeholders are i18next's `{{name}}`.
 */
import { z } from 'zod';
import { CHARGER_CLOSE_MESSAGES } from './charger-close-messages';
import { CLUSTER_FENCE_MESSAGES } from './cluster-fence-messages';
import { EVENT_MESSAGES } from './event-messages';
import { MANAGED_KEY_MESSAGES } from './managed-key-messages';
import { METER_FAULT_MESSAGES } from './meter-faults';
import { METER_SETTINGS_MESSAGES } from './meter-settings';
import { SITE_EVENT_MESSAGES } from './site-event-messages';
import { STORAGE_CAUSE_MESSAGES } from './storage-causes';

export const SERVER_MESSAGES = {
  signIn: {
    wrongCredentials: 'wrong user name or password',
    tooManyAttemptsUser: 'too many failed sign-ins for "{{user}}": try again in {{seconds}} s',
    tooManyAttemptsAddress: 'too many failed sign-ins from this address: try again in {{seconds}} s',
    required: 'sign in first (no session, or it expired)',
  },
  site: {
    stale:
      'the site was changed since version {{baseVersion}}: version {{current}} is in force now; load it and make the change again',
    versionInForce: 'version {{current}} is in force',
    /** The site schema's own rules (shared/site/site-schema.ts). */
    idCharacters: 'only letters, digits and . _ : - are allowed',
    unknownTimezone: 'unknown time zone "{{timezone}}"',
    duplicateCircuit: 'duplicate circuit id "{{id}}"',
    oneRoot: 'exactly one circuit must have parent null (the grid connection), found {{count}}',
    unknownParent: 'unknown parent circuit "{{parent}}"',
    cycle: 'circuit "{{id}}" is part of a cycle',
    duplicateCharger: 'duplicate charger id "{{id}}"',
    unknownCircuit: 'unknown circuit "{{circuit}}"',
    chargerMinAboveMax: 'minAmps {{minAmps}} is above maxAmps {{maxAmps}}',
    duplicateConnector: 'duplicate connector id {{id}}',
    connectorMinAboveMax: "minAmps {{minAmps}} is above the connector's maximum {{maxAmps}}",
    connectorRef: 'expected "<chargerId>/<connectorId>", e.g. "CP-1/1"',
    commandId: 'expected 8-64 letters, digits or . _ : -',
  },
  policy: {
    stale: 'the policy is at version {{current}}, not {{expected}}: reload it and apply your change again',
    currentVersion: 'current version is {{current}}',
    unknownConnector: 'connector "{{connector}}" is not part of this site',
    /** The policy schema's own rules (shared/policy/policy-schema.ts). */
    budgetMinAboveMax: 'min {{min}} is above max {{max}}',
    budgetBelowOneCar: "budget {{max}} {{unit}} is below one car's minimum ({{floor}} {{unit}})",
    failSafeTooLow: 'must be 0 or at least {{minimum}} A (cars cannot charge below)',
    imbalanceTooLow: 'must be at least {{minimum}} A, or a single 1-phase car could never charge',
    timeOfDay: 'expected HH:MM',
    scheduleOutsideBudget: "must be within the budget's min {{min}} and max {{max}}",
    scheduleEmpty: 'from and to are equal: the window is empty',
    scheduleOverlap: 'overlaps schedule {{other}}',
    levelTwice: 'level {{level}} is defined twice',
    idTagInLevel: 'id tag "{{idTag}}" is already in level {{level}}',
    connectorInLevel: 'connector "{{connector}}" is already in level {{level}}',
    demandNoTarget: "set a target, or follow the month's peak: with neither there is nothing to keep the demand under",
    demandNeedsDynamic: 'needs dynamic control: the demand is read from the grid meter',
  },
  /** A capacity tariff (shared/demand/demand-tariff.ts) and a demand preview (shared/demand/demand-preview.ts). */
  demand: {
    currencyCode: 'a three-letter ISO 4217 currency code, such as EUR',
    previewNoDemand: 'the policy does not enable demandControl: no target to preview',
    previewPastPeriod: "the policy's period lasts {{seconds}} s: give less than that",
  },
  charger: {
    accepted: 'the charger accepted {{what}}',
    notSupported: 'the charger does not support {{what}}',
    rejected: 'the charger refused {{what}} ({{status}})',
    notConnected: 'the charger is not connected: {{what}} is stored and applies when it connects',
    timeout: 'the charger did not answer {{what}} in time',
    error: 'the charger answered {{what}} with an error ({{code}})',
    enterPassword: 'enter the new password on the charger, or it cannot connect again',
    vipOn: '{{id}} is now a VIP charger',
    vipOff: '{{id}} is no longer a VIP charger',
    vipDisabled: 'VIP charging is off in the load management settings',
  },
  /** The site's election setting (edge/cluster/election-setting.ts). */
  cluster: {
    noQuorum:
      'etcd does not answer (no quorum: fewer than two of its three members reachable): the election was not changed; try again once etcd is whole',
    electionStale:
      'the election was changed since version {{expected}} (it is at version {{current}}): reload it and make the change again',
    orderNodes: 'must list each node of the site once: {{nodes}}',
    noCluster: "this agent has no cluster section: it is the site's only master, with no election to change",
    noEtcd: 'a site without a witness runs no etcd: its election is the static order of its configuration',
    notMaster:
      "this node is not the site's master: make the change on the master's dashboard (the next master takes its changes, not a standby's)",
  },
  /** The dashboard's admin password change (edge/dashboard/auth/admin-account.ts). */
  account: {
    currentPasswordWrong: 'the current password is wrong',
    wrongPassword: 'wrong password',
  },
  /** A charger adopted on the dashboard (edge/dashboard/routes/site-setup-routes.ts). */
  adoption: {
    passwordNeeded: 'chargers sign in with a password here: give the one it presents',
    passwordRequired: 'required while ocpp.basicAuth is on',
  },
  /** The dashboard's "Test Request Allocation" (edge/dashboard/actions/request-preview.ts). */
  testRequest: {
    noConnector: 'choose the free connector the test car would plug into',
    unknownConnector: 'connector {{connector}} is not a connector of this site',
    busyConnector: 'connector {{connector}} already has a car: choose a free one',
  },
  /** What a charger was asked, filled into the `charger` messages. */
  chargerAction: {
    switchOn: 'being switched on',
    switchOff: 'being switched off',
    password: 'the new password',
  },
  /** A policy's push to its site's gateway, and a rollout's result for one site (cloud/api/policy-push.ts, policy-rollout.ts). */
  push: {
    noGateway: 'the site has no gateway',
    unreachable:
      'the gateway could not be reached; the policy is saved and will be sent on the next write or registration',
    failed: 'internal error',
  },
  /** The console's CSV exports (cloud/api/sessions-in-range.ts). */
  export: {
    tooManySessions: 'the range holds more than {{maximum}} sessions: choose a shorter one',
  },
  /** The agent's event list (shared/event-messages.ts). */
  event: EVENT_MESSAGES,
  /** Why a grid meter's poll failed (shared/meter-faults.ts). */
  meterFault: METER_FAULT_MESSAGES,
  /** A bad field, from zod's issue codes (shared/issue-reasons.ts). */
  field: {
    invalid: 'invalid value',
    expectedNumber: 'must be a number',
    expectedText: 'must be text',
    expectedBoolean: 'must be yes or no',
    expectedList: 'must be a list',
    expectedObject: 'must be a group of fields',
    required: 'required',
    atLeast: 'must be at least {{minimum}}',
    moreThan: 'must be more than {{minimum}}',
    atMost: 'must be at most {{maximum}}',
    lessThan: 'must be less than {{maximum}}',
    minLength: 'must have at least {{minimum}} characters',
    maxLength: 'must have at most {{maximum}} characters',
    minItems: 'must have at least {{minimum}} entries',
    maxItems: 'must have at most {{maximum}} entries',
    multipleOf: 'must be a multiple of {{divisor}}',
    format: 'not a valid {{format}}',
    oneOf: 'must be one of: {{values}}',
    unknownKeys: 'unknown fields: {{keys}}',
    /** A site event's own rules (shared/sync/event-reasons.ts). */
    notReasonOf: 'not a reason of {{kind}}',
    paramsWithoutReason: 'parameters without a reason',
    jsonTooLong: 'at most {{maximum}} characters as JSON',
  },
  /** The meter settings' own rules (shared/meter-settings.ts). */
  meterSettings: METER_SETTINGS_MESSAGES,
  /** The fleet's site events (shared/site-event-messages.ts). */
  siteEvent: SITE_EVENT_MESSAGES,
  /** Why a cluster node fenced itself (shared/cluster-fence-messages.ts). */
  clusterFence: CLUSTER_FENCE_MESSAGES,
  /** Why the agent manages an OCPP configuration key (shared/managed-key-messages.ts). */
  managedKey: MANAGED_KEY_MESSAGES,
  /** Why the agent's store could not be written (shared/storage-causes.ts). */
  storageCause: STORAGE_CAUSE_MESSAGES,
  /** Why the agent closed a charger's connection (shared/charger-close-messages.ts). */
  chargerClose: CHARGER_CLOSE_MESSAGES,
};

/** `a.b` for every message of a nested table. */
type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

export type ServerReason = Paths<typeof SERVER_MESSAGES>;

/**
 * A parameter: a value, another message of the table by its reason with its own parameters (the charger action in a
 * charger answer, the quantity in a meter fault, a meter's fault in a lost meter's event line), or a list of messages
 * said one after the other, `; ` between them (a charger's answer and what to do about it).
 */
export type MessageParam = string | number | MessageParamRef | readonly MessageParamRef[];
export interface MessageParamRef {
  readonly ref: ServerReason;
  readonly params?: MessageParams;
}
export type MessageParams = Readonly<{ [name: string]: MessageParam }>;

/** A message by reason, with what fills its placeholders. */
export interface MessageRef {
  readonly reason: ServerReason;
  readonly params?: MessageParams;
}

function template(reason: string): string | undefined {
  let node: unknown = SERVER_MESSAGES;
  for (const part of reason.split('.'))
    node = typeof node === 'object' && node ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/** True when `reason` names a message of the table. */
export const isServerReason = (reason: string): reason is ServerReason => template(reason) !== undefined;

/** The reason whose English text is `text`, for a message without placeholders; undefined when none is. */
export function reasonOfText(text: string): ServerReason | undefined {
  const walk = (node: object, prefix: string): ServerReason | undefined => {
    for (const [key, value] of Object.entries(node) as [string, unknown][]) {
      const found =
        typeof value === 'string'
          ? value === text
            ? `${prefix}${key}`
            : undefined
          : walk(value as object, `${prefix}${key}.`);
      if (found !== undefined) return found as ServerReason;
    }
    return undefined;
  };
  return text.includes('{{') ? undefined : walk(SERVER_MESSAGES, '');
}

/** `said` as a parameter of another message (a meter's fault inside a lost meter's event line). */
export const asParam = (said: MessageRef): MessageParamRef =>
  said.params === undefined ? { ref: said.reason } : { ref: said.reason, params: said.params };

/** What separates the messages of a list parameter, in every language. */
export const MESSAGE_LIST_SEPARATOR = '; ';

/** The English text of `ref`, placeholders filled (a referenced message rendered in turn). */
export function englishMessage(ref: MessageRef): string {
  const said = (value: MessageParamRef): string =>
    englishMessage(value.params === undefined ? { reason: value.ref } : { reason: value.ref, params: value.params });
  return (template(ref.reason) ?? ref.reason).replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = ref.params?.[name];
    if (value === undefined) return whole;
    if (typeof value !== 'object') return String(value);
    return isParamList(value) ? value.map(said).join(MESSAGE_LIST_SEPARATOR) : said(value);
  });
}

const isParamList = (value: MessageParamRef | readonly MessageParamRef[]): value is readonly MessageParamRef[] =>
  Array.isArray(value);

/** The longest list parameter: a site change lists up to nine counts (chargers, circuits, meters; added, removed, changed). */
const MAX_PARAM_LIST = 9;

const ParamValueSchema = z.union([z.string().max(500), z.number()]);

/** A parameter whose referenced messages take `inner` as their own parameters. */
const paramOf = <T extends z.ZodType>(inner: T) => {
  const ref = z.object({ ref: z.string().max(100), params: z.record(z.string().max(40), inner).optional() });
  return z.union([ParamValueSchema, ref, z.array(ref).max(MAX_PARAM_LIST).readonly()]);
};

/** A parameter as a reader of an answer has it: any reason (a newer server may know more). */
export type SaidParam = string | number | SaidParamRef | readonly SaidParamRef[];
export interface SaidParamRef {
  readonly ref: string;
  readonly params?: SaidParams | undefined;
}
export type SaidParams = Readonly<Record<string, SaidParam>>;

/**
 * Parameters as a reader of an answer checks them: referenced messages nest three deep at most (a lost meter's line
 * names its fault, which names the quantity), deeper ones are refused.
 */
export const MessageParamsSchema: z.ZodType<SaidParams> = z.record(
  z.string().max(40),
  paramOf(paramOf(paramOf(ParamValueSchema))),
);

/**
 * The `reason` and `params` fields of an error body or a field issue, as a reader of an answer checks them: any
 * reason (a newer server may know more; a page falls back to the English `message` for one it does not know).
 */
export const MessageRefFields = { reason: z.string().max(100).optional(), params: MessageParamsSchema.optional() };

/** One message by reason, as an answer carries it (a charger action's outcome). */
export const MessageRefSchema = z.object({ reason: z.string().max(100), params: MessageParamsSchema.optional() });
