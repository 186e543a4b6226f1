/**
 * Text the agent or the cloud wrote, not the page: a message without a reason the page knows (a meter's fault, the
 * last sync error, an older server's event). The servers speak English, so it is marked `lang="en"`: a screen reader
 * reads it as English on a German page, and the browser tests' language check (test/e2e/support/language-check.ts)
 * leaves it out.
 */
import { el } from '../element';
import { translatedText, type ServerSaid } from './server-text';

export const untranslated = (text: string): HTMLElement => el('span', { lang: 'en' }, text);

/** What a server said, in the page's language when the page knows its reason, else its English marked as such. */
export const saidText = (said: ServerSaid): HTMLElement | string => translatedText(said) ?? untranslated(said.message);
