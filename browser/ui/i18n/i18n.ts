/**
 * The pages' strings through i18next: `t('dashboard.shell.signOut')` with keys checked against the English
 * catalogue, the German one typed to have exactly the same keys (messages/catalogue.ts). Started once per page load
 * with the chosen language; switching reloads the page (language-switch.ts), so nothing has to re-render.
 */
import i18next from 'i18next';
import { CATALOGUES, type Catalogue } from './messages/catalogue';
import type { Locale } from './locale';

/** `a.b.c` for every string of a nested catalogue; `x_one`/`x_other` plural forms count as `x` (pass `count`). */
type Keys<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K extends `${infer Base}_${'one' | 'other'}` ? Base : K}`
    : Keys<T[K], `${P}${K}.`>;
}[keyof T & string];

export type MessageKey = Keys<Catalogue>;

const instance = i18next.createInstance();
let current: Locale = 'en';

/** Starts i18next in `locale` (synchronously: the catalogues are bundled). */
export function startI18n(locale: Locale): void {
  current = locale;
  void instance.init({
    lng: locale,
    fallbackLng: false,
    resources: { en: { translation: CATALOGUES.en }, de: { translation: CATALOGUES.de } },
    initAsync: false,
    // The DOM builder sets text, never HTML: i18next's HTML escaping would show "&amp;" literally.
    interpolation: { escapeValue: false },
  });
}

/** The language the page speaks. */
export const currentLocale = (): Locale => current;

/**
 * What fills a page message's placeholders: text, numbers and times already formatted (format.ts), and `count` as a
 * number: i18next picks the plural form by it and writes it in the page's language (`{{count, number}}`: 1.234 in
 * German, 1,234 in English). A number anywhere else would be written as JavaScript writes it, so the type refuses it.
 */
export type MessageValues<V> = { readonly [K in keyof V]: K extends 'count' ? number : string };

/** A message in the page's language; `values` fill its `{{placeholders}}`. */
export function t<V extends object>(key: MessageKey, values?: MessageValues<V>): string {
  return String(instance.t(key, values ?? {}));
}

/** A message whose key came in an answer (a server's reason): undefined when the catalogue does not have it. */
export function tIfKnown(key: string, values?: Readonly<Record<string, string>>): string | undefined {
  return instance.exists(key) ? String(instance.t(key, values ?? {})) : undefined;
}
