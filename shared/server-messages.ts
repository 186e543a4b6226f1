/**
 * The messages the agent's dashboard API and the cloud API send, in English, keyed by a stable reason
 * (`signIn.wrongCredentials`). An answer carries the reason and its parameters beside the English text, so the pages
 * show it in the reader's language: this table is the English catalogue's `errors.server` section, the German one
 * mirrors it (browser/ui/i18n/messages/errors-de.ts). Placeholders are i18next's `{{name}}`.
 */
import { z } from 'zod';

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
  },
  policy: {
    stale: 'the policy is at version {{current}}, not {{expected}}: reload it and apply your change again',
    currentVersion: 'current version is {{current}}',
    unknownConnector: 'connector "{{connector}}" is not part of this site',
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
  /** What a charger was asked, filled into the `charger` messages. */
  chargerAction: {
    switchOn: 'being switched on',
    switchOff: 'being switched off',
    password: 'the new password',
  },
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
  },
};

/** `a.b` for every message of a nested table. */
type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

export type ServerReason = Paths<typeof SERVER_MESSAGES>;

/** A parameter: a value, or another message of the table by its reason (the charger action in a charger answer). */
export type MessageParam = string | number | { readonly ref: ServerReason };
export type MessageParams = Readonly<Record<string, MessageParam>>;

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

/** The English text of `ref`, placeholders filled (a referenced message rendered in turn). */
export function englishMessage(ref: MessageRef): string {
  return (template(ref.reason) ?? ref.reason).replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = ref.params?.[name];
    if (value === undefined) return whole;
    return typeof value === 'object' ? englishMessage({ reason: value.ref }) : String(value);
  });
}

/** Parameters as a reader of an answer checks them. */
export const MessageParamsSchema = z.record(
  z.string().max(40),
  z.union([z.string().max(500), z.number(), z.object({ ref: z.string().max(100) })]),
);

/**
 * The `reason` and `params` fields of an error body or a field issue, as a reader of an answer checks them: any
 * reason (a newer server may know more; a page falls back to the English `message` for one it does not know).
 */
export const MessageRefFields = { reason: z.string().max(100).optional(), params: MessageParamsSchema.optional() };

/** One message by reason, as an answer carries it (a charger action's outcome). */
export const MessageRefSchema = z.object({ reason: z.string().max(100), params: MessageParamsSchema.optional() });
