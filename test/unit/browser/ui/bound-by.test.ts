/** What held an allocation, in words, for every name the allocator gives (shared/allocation/constraint-set.ts). */
import { describe, expect, it } from 'vitest';
import { boundByText } from '../../../../browser/ui/bound-by';
import { startI18n } from '../../../../browser/ui/i18n/i18n';

describe('bound-by in words', () => {
  it.each([
    ['en', 'car', 'the car'],
    ['en', 'charger', 'the charger'],
    ['en', 'charger:CP-1:L2', 'charger CP-1 L2'],
    ['en', 'circuit:main:L1', 'circuit main L1'],
    ['en', 'budget', 'budget'],
    ['en', 'budget:L3', 'budget L3'],
    ['en', 'gridLimit:L1', 'grid limit L1'],
    ['de', 'imbalance:L2', 'Schieflast L2'],
    ['de', 'circuit:main:L1', 'Strang main L1'],
    ['de', 'car', 'Fahrzeug'],
    ['en', 'bootReservation', 'a restarting charger, reserved at its maximum until its fail-safe is set'],
    [
      'de',
      'bootReservation',
      'ein neu startender Ladepunkt, mit seinem Maximum reserviert, bis sein Sicherheitswert gesetzt ist',
    ],
    ['de', 'somethingNew:x', 'somethingNew:x'],
  ] as const)('should say %s: %s as %s', (locale, boundBy, expected) => {
    startI18n(locale);
    expect(boundByText(boundBy)).toBe(expected);
  });
});
