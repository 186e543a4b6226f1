import { describe, expect, it } from 'vitest';
import { DISTRIBUTIONS } from '../../../../shared/policy/policy-schema';
import { DISTRIBUTION_CHOICES } from '../../../../browser/ui/policy/policy-form';

describe('policy form', () => {
  it('should offer every distribution the policy schema accepts, priorityStrict included, each with its own label', () => {
    // Act
    const values = DISTRIBUTION_CHOICES.map((c) => c.value);
    const labels = DISTRIBUTION_CHOICES.map((c) => c.label);

    // Assert
    expect(values).toEqual([...DISTRIBUTIONS]);
    expect(DISTRIBUTION_CHOICES).toContainEqual({
      value: 'priorityStrict',
      label: 'Strictly prioritised (lower classes share what is left)',
    });
    expect(new Set(labels).size).toBe(labels.length);
  });
});
