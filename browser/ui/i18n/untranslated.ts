/**
 * Text the agent or the cloud wrote, not the page: event messages, a meter's fault, the last sync error. The servers
 * speak English, so it is marked `lang="en"`: a screen reader reads it as English on a German page, and the
 * browser tests' language check (test/e2e/support/language-check.ts) leaves it out.
 */
import { el } from '../element';

export const untranslated = (text: string): HTMLElement => el('span', { lang: 'en' }, text);
