/**
 * The English and German catalogues hold the same messages: the same keys (the type-check already refuses a key
 * missing from one; this also catches a plural form or a key only one side has), the same placeholders, no empty
 * message, and every German message resolves through i18next (no key shown raw).
 */
import { describe, expect, it } from 'vitest';
import { startI18n, t, type MessageKey } from '../../../../browser/ui/i18n/i18n';
import { CATALOGUES } from '../../../../browser/ui/i18n/messages/catalogue';

/** Every message of a nested catalogue as `[dotted key, text]`. */
function flatten(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]: [string, unknown]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : flatten(value as object, `${prefix}${key}.`),
  );
}

/** Each `{{name}}` or `{{name, format}}` of a message, with its format. */
const placeholders = (text: string) => [...text.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1]).sort();

const en = new Map(flatten(CATALOGUES.en));
const de = new Map(flatten(CATALOGUES.de));

describe('message catalogues', () => {
  it('should have the same keys in English and German', () => {
    expect([...de.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it.each([...en.entries()])('should give %s the same placeholders in both languages', (key, text) => {
    expect(placeholders(de.get(key) ?? '')).toEqual(placeholders(text));
  });

  it('should say every server reason in German, not in English words', () => {
    // Arrange: the servers' table is the English catalogue's errors.server (shared/server-messages.ts)
    const server = [...en].filter(([key]) => key.startsWith('errors.server.'));

    // Act
    const same = server.filter(([key, text]) => de.get(key) === text).map(([key]) => key);

    // Assert
    expect(same).toEqual([]);
  });

  it('should have no empty message', () => {
    expect([...en, ...de].filter(([, text]) => text.trim() === '')).toEqual([]);
  });

  it('should resolve keys and plural forms in German', () => {
    // Arrange
    startI18n('de');

    // Act
    const one = t('dashboard.devices.count', { count: 1 });
    const many = t('dashboard.devices.count', { count: 4 });
    const heading = t('dashboard.sections.load' satisfies MessageKey);

    // Assert
    expect(one).toBe('1 Ladepunkt.');
    expect(many).toBe('4 Ladepunkte.');
    expect(heading).toBe('Lastmanagement');
  });
});
