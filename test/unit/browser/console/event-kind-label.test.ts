/**
 * The fleet console's events table labels the CSMS link's event types in the page's language (before, it showed the
 * agent's `upstream.thinned` and `upstream.unwritten` as they are named in the sync contract).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventKindLabel } from '../../../../browser/console/pages/site-activity';
import { startI18n } from '../../../../browser/ui/i18n/i18n';
import { EventBodySchema } from '../../../../shared/sync/sync-messages';

const EVENT_KINDS = EventBodySchema.shape.kind.options;

const KINDS = ['upstream.lost', 'upstream.recovered', 'upstream.thinned', 'upstream.unwritten'] as const;

describe("the console's labels of the CSMS link's event types", () => {
  afterEach(() => startI18n('en'));

  it('should label them in English on an English page', () => {
    // Arrange
    startI18n('en');

    // Act
    const labels = KINDS.map((type) => eventKindLabel({ type }));

    // Assert
    expect(labels).toEqual([
      'CSMS link lost',
      'CSMS link back',
      'CSMS backlog thinned',
      'CSMS forward log not written',
    ]);
  });

  it('should label them in German on a German page', () => {
    // Arrange
    startI18n('de');

    // Act
    const labels = KINDS.map((type) => eventKindLabel({ type }));

    // Assert
    expect(labels).toEqual([
      'CSMS-Verbindung verloren',
      'CSMS-Verbindung wieder da',
      'CSMS-Rückstand ausgedünnt',
      'CSMS-Weiterleitungsprotokoll nicht geschrieben',
    ]);
  });

  it.each(['en', 'de'] as const)('should label every event type the agents send (%s)', (language) => {
    // Arrange
    startI18n(language);

    // Act: a type without a label is shown as it is, marked as not in the page's language
    const unlabelled = EVENT_KINDS.filter((type) => typeof eventKindLabel({ type }) !== 'string');

    // Assert: before, only the CSMS link's types had labels
    expect(unlabelled).toEqual([]);
  });
});
