/**
 * Issue 16: a bad field carries a stable reason beside zod's English message, so a page can show it in German;
 * every zod issue code a form meets maps to one of the servers' messages, with the limit as a parameter.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { englishMessage } from '../../../shared/server-messages';
import { parseWith } from '../../../shared/validation';

const Form = z
  .object({
    amps: z.number().min(6).max(32),
    share: z.number().gt(0).lt(1).optional(),
    step: z.number().multipleOf(0.5).optional(),
    name: z.string().min(3).max(8).optional(),
    tags: z.array(z.string()).max(1).optional(),
    unit: z.enum(['A', 'kW']).optional(),
    mail: z.email().optional(),
    on: z.boolean().optional(),
  })
  .strict();

describe('field issue reasons', () => {
  it.each([
    [{}, { path: 'amps', reason: 'field.required' }],
    [{ amps: 'x' }, { path: 'amps', reason: 'field.expectedNumber' }],
    [{ amps: 2 }, { path: 'amps', reason: 'field.atLeast', params: { minimum: 6 } }],
    [{ amps: 40 }, { path: 'amps', reason: 'field.atMost', params: { maximum: 32 } }],
    [
      { amps: 6, share: 0 },
      { path: 'share', reason: 'field.moreThan', params: { minimum: 0 } },
    ],
    [
      { amps: 6, share: 1 },
      { path: 'share', reason: 'field.lessThan', params: { maximum: 1 } },
    ],
    [
      { amps: 6, step: 0.3 },
      { path: 'step', reason: 'field.multipleOf', params: { divisor: 0.5 } },
    ],
    [
      { amps: 6, name: 'ab' },
      { path: 'name', reason: 'field.minLength', params: { minimum: 3 } },
    ],
    [
      { amps: 6, name: 'abcdefghi' },
      { path: 'name', reason: 'field.maxLength', params: { maximum: 8 } },
    ],
    [
      { amps: 6, tags: ['a', 'b'] },
      { path: 'tags', reason: 'field.maxItems', params: { maximum: 1 } },
    ],
    [
      { amps: 6, unit: 'W' },
      { path: 'unit', reason: 'field.oneOf', params: { values: 'A, kW' } },
    ],
    [
      { amps: 6, mail: 'no' },
      { path: 'mail', reason: 'field.format', params: { format: 'email' } },
    ],
    [
      { amps: 6, on: 'yes' },
      { path: 'on', reason: 'field.expectedBoolean' },
    ],
    [
      { amps: 6, extra: 1 },
      { path: '(root)', reason: 'field.unknownKeys', params: { keys: 'extra' } },
    ],
  ])('should give %j the reason %j, keeping zod message and path', (input, expected) => {
    // Act
    const parsed = parseWith(Form, input);

    // Assert
    const issues = parsed.ok ? [] : parsed.issues;
    expect(issues.map(({ message: _, ...issue }) => issue)).toEqual([expected]);
    expect(issues[0]?.message).not.toBe('');
  });

  it("should leave a refinement's own message without a reason", () => {
    // Arrange
    const Budget = z.object({ min: z.number(), max: z.number() }).refine((b) => b.min <= b.max, 'min is above max');

    // Act
    const parsed = parseWith(Budget, { min: 2, max: 1 });

    // Assert
    expect(parsed.ok ? [] : parsed.issues).toEqual([{ path: '(root)', message: 'min is above max' }]);
  });
});

describe('server messages', () => {
  it('should render a reason in English with its parameters and a referenced message', () => {
    expect(
      englishMessage({
        reason: 'charger.rejected',
        params: { what: { ref: 'chargerAction.switchOff' }, status: 'Rejected' },
      }),
    ).toBe('the charger refused being switched off (Rejected)');
  });

  it('should make an AppError whose message is the English text and which keeps the reason', () => {
    // Act
    const error = AppError.because('auth.tooManyAttempts', 'signIn.tooManyAttemptsAddress', { seconds: 30 });

    // Assert
    expect(error.message).toBe('too many failed sign-ins from this address: try again in 30 s');
    expect(error.ref).toEqual({ reason: 'signIn.tooManyAttemptsAddress', params: { seconds: 30 } });
  });
});
