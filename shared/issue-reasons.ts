/**
 * A zod issue as a stable reason and its parameters (shared/server-messages.ts), so a page shows a bad field in the
 * reader's language whether the browser or a server found it. Zod's issue codes map generically (`field.*`); a
 * schema's own rules carry their reason (shared/reasoned-issue.ts). A refinement said any other way has no reason: it
 * is shown as written.
 */
import type { z } from 'zod';
import {
  isServerReason,
  MessageRefSchema,
  reasonOfText,
  type MessageParams,
  type MessageRef,
  type ServerReason,
} from './server-messages';

type Issue = z.core.$ZodIssue;

const EXPECTED: Readonly<Record<string, ServerReason>> = {
  number: 'field.expectedNumber',
  int: 'field.expectedNumber',
  string: 'field.expectedText',
  boolean: 'field.expectedBoolean',
  array: 'field.expectedList',
  object: 'field.expectedObject',
};

const bound = (value: number | bigint): number | string => (typeof value === 'bigint' ? String(value) : value);

function sizeReason(issue: Issue & { code: 'too_small' | 'too_big' }): MessageRef | undefined {
  const small = issue.code === 'too_small';
  const limit = bound(small ? issue.minimum : issue.maximum);
  const params: MessageParams = small ? { minimum: limit } : { maximum: limit };
  switch (issue.origin) {
    case 'number':
    case 'int':
    case 'bigint':
      if (issue.inclusive === false) return { reason: small ? 'field.moreThan' : 'field.lessThan', params };
      return { reason: small ? 'field.atLeast' : 'field.atMost', params };
    case 'string':
      return { reason: small ? 'field.minLength' : 'field.maxLength', params };
    case 'array':
    case 'set':
      return { reason: small ? 'field.minItems' : 'field.maxItems', params };
    default:
      return undefined;
  }
}

/** The reason for `issue`, or undefined when only its own (English) message says what is wrong. */
export function issueReason(issue: Issue): MessageRef | undefined {
  switch (issue.code) {
    case 'invalid_type':
      // Zod reports a missing field as a wrong type; its message is the one place that says the input was absent.
      if (issue.message.endsWith('received undefined')) return { reason: 'field.required' };
      return { reason: EXPECTED[issue.expected] ?? 'field.invalid' };
    case 'too_small':
    case 'too_big':
      return sizeReason(issue);
    case 'not_multiple_of':
      return { reason: 'field.multipleOf', params: { divisor: bound(issue.divisor) } };
    case 'invalid_format':
      return issue.format === 'regex'
        ? { reason: reasonOfText(issue.message) ?? 'field.invalid' }
        : { reason: 'field.format', params: { format: issue.format } };
    case 'invalid_value':
      return { reason: 'field.oneOf', params: { values: issue.values.map(String).join(', ') } };
    case 'unrecognized_keys':
      return { reason: 'field.unknownKeys', params: { keys: issue.keys.join(', ') } };
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return { reason: 'field.invalid' };
    case 'custom':
      return refinementReason(issue.params);
  }
}

/** The reason a refinement gave (shared/reasoned-issue.ts), when it names a message of the table. */
function refinementReason(params: unknown): MessageRef | undefined {
  const parsed = MessageRefSchema.safeParse(params);
  if (!parsed.success || !isServerReason(parsed.data.reason)) return undefined;
  const { reason, params: values } = parsed.data;
  return values === undefined ? { reason } : { reason, params: values as MessageParams };
}
