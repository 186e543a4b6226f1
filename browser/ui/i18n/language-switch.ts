/**
 * The language of the page: started from the browser's choice (locale.ts) before anything renders, and a switch in
 * the header that keeps the new choice and reloads, so every page, title and number comes back in that language
 * (the dashboard's session is a cookie, the console's token is in sessionStorage: both survive the reload).
 */
import { el } from '../element';
import { currentLocale, startI18n, t } from './i18n';
import { browserLocale, LOCALES, rememberLocale, type Locale } from './locale';

/** Each language by its own name, the same in every language (so a reader finds theirs). */
const NATIVE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch' };

/** Starts the page's language; call once, before the first render. */
export function startPageLanguage(): void {
  const locale = browserLocale();
  startI18n(locale);
  document.documentElement.lang = locale;
}

export function languageSwitch(): HTMLElement {
  const select = el(
    'select',
    { 'aria-label': t('common.language'), 'data-testid': 'language-switch' },
    ...LOCALES.map((locale) => el('option', { value: locale, lang: locale }, NATIVE_NAMES[locale])),
  );
  select.value = currentLocale();
  select.addEventListener('change', () => {
    const chosen = LOCALES.find((locale) => locale === select.value);
    if (chosen === undefined || chosen === currentLocale()) return;
    rememberLocale(chosen);
    location.reload();
  });
  return el('div', { class: 'language-switch' }, select);
}
