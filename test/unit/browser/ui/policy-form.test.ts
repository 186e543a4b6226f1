import { describe, expect, it } from 'vitest';
import { DISTRIBUTIONS } from '../../../../shared/policy/policy-schema';
import { startI18n } from '../../../../browser/ui/i18n/i18n';
import { LOCALES } from '../../../../browser/ui/i18n/locale';
import { distributionChoices } from '../../../../browser/ui/policy/policy-form';

describe('policy form', () => {
  it.each(LOCALES)(
    'should offer every distribution the policy schema accepts, each with its own label (%s)',
    (locale) => {
      // Arrange
      startI18n(locale);

      // Act
      const choices = distributionChoices();
      const labels = choices.map((c) => c.label);

      // Assert
      expect(choices.map((c) => c.value)).toEqual([...DISTRIBUTIONS]);
      expect(new Set(labels).size).toBe(labels.length);
      expect(labels.every((label) => !label.startsWith('policy.'))).toBe(true);
    },
  );

  it('should label priorityStrict in English and in German', () => {
    startI18n('en');
    expect(distributionChoices()).toContainEqual({
      value: 'priorityStrict',
      label: 'Strictly prioritised (lower classes share what is left)',
    });
    startI18n('de');
    expect(distributionChoices()).toContainEqual({
      value: 'priorityStrict',
      label: 'Streng priorisiert (niedrigere Klassen teilen den Rest)',
    });
  });
});
