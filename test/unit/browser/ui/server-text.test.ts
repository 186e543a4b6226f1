/**
 * Issue 16: what a server says appears in the page's language: a reason through the catalogue, numbers formatted
 * for the language and a referenced message translated too; a reason the page does not know falls back to the
 * server's English, and a refusal without a reason to what its error code means (off English).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startI18n } from '../../../../browser/ui/i18n/i18n';
import { issueText, refusalText, serverText, serverTexts } from '../../../../browser/ui/i18n/server-text';

describe('server text in the page language', () => {
  afterEach(() => startI18n('en'));

  it('should show a field issue from the server in German, its limit written the German way', () => {
    // Arrange
    startI18n('de');

    // Act
    const text = issueText({
      path: 'x',
      message: 'Too small: expected number to be >=1.5',
      reason: 'field.atLeast',
      params: { minimum: 1.5 },
    });

    // Assert
    expect(text).toBe('muss mindestens 1,5 sein');
  });

  it("should show a policy rule's refusal in German, its numbers written the German way", () => {
    // Arrange
    startI18n('de');

    // Act
    const text = issueText({
      path: 'budget.max',
      message: "budget 1 kW is below one car's minimum (1.38 kW)",
      reason: 'policy.budgetBelowOneCar',
      params: { max: 1, unit: 'kW', floor: 1.38 },
    });

    // Assert
    expect(text).toBe('Budget 1 kW liegt unter dem Minimum eines Fahrzeugs (1,38 kW)');
  });

  it("should translate a charger's answer with the action it names", () => {
    // Arrange
    startI18n('de');
    const reasons = [
      { reason: 'charger.notConnected', params: { what: { ref: 'chargerAction.password' } } },
      { reason: 'charger.enterPassword' },
    ];

    // Act
    const text = serverTexts(reasons, 'english');

    // Assert
    expect(text).toBe(
      'Der Ladepunkt ist nicht verbunden: das neue Passwort ist gespeichert und gilt, sobald er sich verbindet; Geben Sie das neue Passwort am Ladepunkt ein, sonst kann er sich nicht wieder verbinden',
    );
  });

  it("should translate a meter's implausible value with the quantity it names, that quantity's phase filled in", () => {
    // Arrange
    startI18n('de');

    // Act
    const text = serverText({
      message: 'L2 volts 0 outside 100..300',
      reason: 'meterFault.outside',
      params: {
        quantity: { ref: 'meterFault.quantity.volts', params: { phase: 'L2' } },
        value: 0,
        minimum: 100,
        maximum: 300,
      },
    });

    // Assert
    expect(text).toBe('Spannung L2 0 außerhalb von 100..300');
  });

  it.each([
    [
      'de',
      { code: 'resource.conflict', message: 'x', reason: 'site.stale', params: { baseVersion: 3, current: 4 } },
      /^Der Standort wurde seit Version 3 geändert: jetzt gilt Version 4/,
    ],
    ['de', { code: 'resource.notFound', message: 'no charger "CP-9" on this site' }, /^Nicht gefunden$/],
    [
      'en',
      { code: 'resource.notFound', message: 'no charger "CP-9" on this site' },
      /^no charger "CP-9" on this site$/,
    ],
    [
      'de',
      { code: 'auth.forbidden', message: 'a newer reason', reason: 'signIn.newerReason' },
      /^Das dürfen Sie nicht$/,
    ],
    ['de', { code: 'somewhere.new', message: 'said in English' }, /^said in English$/],
  ] as const)('should say a refusal in %s as %j', (locale, said, expected) => {
    // Arrange
    startI18n(locale);

    // Act
    const text = refusalText(said);

    // Assert
    expect(text).toMatch(expected);
  });

  it('should fall back to the English answer when one of several reasons is unknown', () => {
    startI18n('de');
    expect(serverTexts([{ reason: 'charger.accepted' }, { reason: 'charger.fromTheFuture' }], 'the English')).toBe(
      'the English',
    );
  });
});
