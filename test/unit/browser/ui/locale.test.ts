/** The language of the pages: the stored choice first, then the browser's languages in order, then English. */
import { describe, expect, it } from 'vitest';
import { startI18n } from '../../../../browser/ui/i18n/i18n';
import { formatAmps, formatTime } from '../../../../browser/ui/i18n/format';
import { chooseLocale } from '../../../../browser/ui/i18n/locale';

describe('language choice', () => {
  it.each([
    [null, ['de-DE', 'en'], 'de'],
    [null, ['fr-FR', 'de-AT', 'en'], 'de'],
    [null, ['fr-FR', 'it'], 'en'],
    [null, [], 'en'],
    ['en', ['de-DE'], 'en'],
    ['de', ['en-GB'], 'de'],
    ['xx', ['de-CH'], 'de'],
  ] as const)('should choose from stored %s and browser languages %j: %s', (stored, languages, expected) => {
    expect(chooseLocale(stored, languages)).toBe(expected);
  });
});

describe('numbers and times in the chosen language', () => {
  const at = Date.UTC(2026, 11, 3, 14, 5);

  it('should write a current and a time the German way', () => {
    // Arrange
    startI18n('de');

    // Act & Assert
    expect(formatAmps(12.5)).toBe('12,5 A');
    expect(formatTime(at - new Date(at).getTimezoneOffset() * 60_000)).toBe('03.12.2026, 14:05');
  });

  it('should write a current and a time the English way', () => {
    startI18n('en');
    expect(formatAmps(12.5)).toBe('12.5 A');
    expect(formatTime(at - new Date(at).getTimezoneOffset() * 60_000)).toMatch(/^12\/03\/2026, 02:05\sPM$/);
  });
});
