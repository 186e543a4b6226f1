/**
 * Issue 16: a count said with a noun takes the noun's plural form from i18next's plural rules (`_one` / `_other`),
 * so one is "1 Messpunkt", not "1 Messpunkte". A page message with `{{count}}` either has both forms in each language
 * or says the count without a noun that changes (a unit, an adjective): those are listed here. Every count is written
 * in the page's language by i18next's number format (`{{count, number}}`: 1.234 in German, 1,234 in English).
 */
import { describe, expect, it } from 'vitest';
import { startI18n, t, type MessageKey } from '../../../../browser/ui/i18n/i18n';
import type { Locale } from '../../../../browser/ui/i18n/locale';
import { CATALOGUES } from '../../../../browser/ui/i18n/messages/catalogue';

/** Counts said with a unit or an adjective, the same for one as for many in both languages. */
const WITHOUT_NOUN = new Set([
  'console.list.critical',
  'console.list.queued',
  'console.list.setAside',
  'console.list.minutes',
  'console.list.hours',
  'dashboard.upstream.minutes',
  'dashboard.upstream.hours',
]);

function flatten(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]: [string, unknown]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : flatten(value as object, `${prefix}${key}.`),
  );
}

describe('counts with a noun', () => {
  it.each(['en', 'de'] as const)('should give every counted noun of the pages both plural forms (%s)', (locale) => {
    // The servers' messages (errors.server) get their counts formatted as text, not counted: left out
    const { errors: _servers, ...pages } = CATALOGUES[locale];
    const counted = flatten(pages).filter(([, text]) => /\{\{\s*count\s*[,}]/.test(text));
    const keys = new Set(counted.map(([key]) => key));
    const single = counted.map(([key]) => key).filter((key) => !/_(one|other)$/.test(key) && !WITHOUT_NOUN.has(key));
    const halves = [...keys].filter((key) => /_(one|other)$/.test(key) && !keys.has(key.replace(/_one$/, '_other')));
    expect({ single, halves }).toEqual({ single: [], halves: [] });
  });

  it.each(['en', 'de'] as const)('should write every count of the pages with the number format (%s)', (locale) => {
    const { errors: _servers, ...pages } = CATALOGUES[locale];
    const bare = flatten(pages)
      .filter(([, text]) => /\{\{\s*count\s*(\}\}|,(?!\s*number\s*\}\}))/.test(text))
      .map(([key]) => key);
    expect(bare).toEqual([]);
  });

  it.each([
    ['de', 'dashboard.devices.count', 1234, '1.234 Ladepunkte.'],
    ['en', 'dashboard.devices.count', 1234, '1,234 chargers.'],
    ['de', 'console.list.loaded', 12345, '12.345 Standorte geladen.'],
    ['en', 'console.list.queued', 1500, '1,500 queued'],
    ['de', 'console.site.points', 1, 'Letzte Stunde: 1 Messpunkt.'],
    ['de', 'console.site.points', 2, 'Letzte Stunde: 2 Messpunkte.'],
    ['en', 'console.site.points', 1, 'Last hour: 1 point.'],
    ['de', 'console.list.loaded', 1, '1 Standort geladen.'],
    ['en', 'console.list.loaded', 1, '1 site loaded.'],
    ['en', 'console.site.chargersCaption', 1, '1 charger'],
    ['de', 'console.site.chargersCaption', 1, '1 Ladepunkt'],
    ['de', 'dashboard.monitoring.samples', 1, 'Letzte Stunde: 1 Messpunkt.'],
    ['en', 'dashboard.upstream.days', 1, '1 day'],
    ['de', 'dashboard.upstream.days', 1, '1 Tag'],
    ['en', 'dashboard.chargerConfig.read', 1, 'CP-1 reported 1 configuration key.'],
  ] as const)('should say %s %s with count %i as "%s"', (locale: Locale, key, count, said) => {
    startI18n(locale);
    expect(t(key as MessageKey, { count, range: locale === 'de' ? 'Letzte Stunde' : 'Last hour', id: 'CP-1' })).toBe(
      said,
    );
  });
});
