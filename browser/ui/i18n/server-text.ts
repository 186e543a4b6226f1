/**
 * What a server said, in the page's language: an answer's stable reason (shared/server-messages.ts) through the
 * catalogue's `errors.server` section, its parameters formatted for the language. A reason the catalogue lacks (a
 * newer server) falls back to the server's English message; a refusal without a reason, on a page not in English, to
 * what its AppError code means.
 */
import type { FieldIssue } from '../../../shared/errors';
import { MESSAGE_LIST_SEPARATOR, type SaidParamRef, type SaidParams } from '../../../shared/server-messages';
import { formatNumber } from './format';
import { currentLocale, tIfKnown } from './i18n';

/** A message as an answer carries it: English text, and the reason and parameters when it has them. */
export interface ServerSaid {
  readonly message: string;
  readonly reason?: string | undefined;
  readonly params?: SaidParams | undefined;
}

function translated(reason: string, params: ServerSaid['params']): string | undefined {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === 'number') values[name] = formatNumber(value);
    else if (typeof value === 'string') values[name] = value;
    else {
      const refs: readonly SaidParamRef[] = Array.isArray(value) ? value : [value as SaidParamRef];
      const texts = refs.map((ref) => translated(ref.ref, ref.params));
      if (texts.some((text) => text === undefined)) return undefined;
      values[name] = texts.join(MESSAGE_LIST_SEPARATOR);
    }
  }
  return tIfKnown(`errors.server.${reason}`, values);
}

/** `said` in the page's language, or undefined when the page does not know its reason. */
export const translatedText = (said: Omit<ServerSaid, 'message'>): string | undefined =>
  said.reason === undefined ? undefined : translated(said.reason, said.params);

/** `said` in the page's language, or its English message when the page does not know its reason. */
export function serverText(said: ServerSaid): string {
  return translatedText(said) ?? said.message;
}

/** Messages joined with `; ` in the page's language, or `english` (all of them) when the page lacks one's reason. */
export function serverTexts(refs: readonly Omit<ServerSaid, 'message'>[], english: string): string {
  const texts = refs.map((ref) => (ref.reason === undefined ? undefined : translated(ref.reason, ref.params)));
  return texts.length > 0 && texts.every((text) => text !== undefined) ? texts.join('; ') : english;
}

/** A field issue's message in the page's language (a refinement's own message stays as written). */
export const issueText = (issue: FieldIssue): string => serverText(issue);

/** A refusal in the page's language: its reason, else (off English) what its error code means, else its message. */
export function refusalText(said: ServerSaid & { readonly code: string }): string {
  const exact = said.reason === undefined ? undefined : translated(said.reason, said.params);
  if (exact !== undefined) return exact;
  if (currentLocale() === 'en') return said.message;
  return tIfKnown(`errors.code.${said.code}`) ?? said.message;
}
