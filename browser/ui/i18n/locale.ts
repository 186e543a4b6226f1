/**
 * Which language the pages speak: the one the user chose with the switch (kept in localStorage), else the first of
 * the browser's languages that we have, else English.
 */

export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

/** The localStorage key of the chosen language (shared by the dashboard and the console of one origin). */
export const LOCALE_STORAGE_KEY = 'ampshare.locale';

const isLocale = (value: string | null): value is Locale => LOCALES.some((l) => l === value);

/** The chosen language if it is one we have, else the first of `languages` (`de-AT` counts as `de`), else `en`. */
export function chooseLocale(stored: string | null, languages: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0] ?? '';
    if (isLocale(base)) return base;
  }
  return 'en';
}

/** Reads the choice from the browser; a storage that refuses access (privacy mode) counts as no choice. */
export function browserLocale(): Locale {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    // No storage: the browser's languages decide.
  }
  return chooseLocale(stored, navigator.languages);
}

/** Keeps the choice for the next visit. */
export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // No storage: the choice lasts for this page only.
  }
}
