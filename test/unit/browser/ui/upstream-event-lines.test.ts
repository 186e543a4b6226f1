/**
 * The CSMS link's lines on the dashboard's monitoring page in the page's language: the agent says each with a reason
 * (shared/event-messages.ts, `event.upstream.*`), the page renders it through the German catalogue
 * (browser/ui/i18n/messages/events-de.ts); before, they were English text only, marked lang="en".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startI18n } from '../../../../browser/ui/i18n/i18n';
import { serverText } from '../../../../browser/ui/i18n/server-text';
import type { EventEntry } from '../../../../shared/dashboard/api-answers';
import { LINK_REPORT_WINDOW_MS, UpstreamLinkReport } from '../../../../edge/upstream/upstream-link-report';
import { ManualClock } from '../../../../sim/charger/sim-clock';

/** The lines of one window of each kind, for one charger and for two. */
function upstreamLines(): EventEntry[] {
  const clock = new ManualClock();
  const lines: EventEntry[] = [];
  const quiet = () => undefined;
  const report = new UpstreamLinkReport(
    { log: { warn: quiet, info: quiet }, addEvent: (entry) => lines.push(entry), backlogMessages: () => 3 },
    { now: () => clock.now(), after: (ms, fn) => clock.after(ms, fn) },
  );
  const at = clock.now();
  report.onLinkChange({ chargerId: 'CP-1', change: 'lost', at });
  report.onLinkChange({ chargerId: 'CP-2', change: 'lost', at });
  clock.advance(LINK_REPORT_WINDOW_MS);
  report.onLinkChange({ chargerId: 'CP-1', change: 'recovered', at: clock.now() });
  report.onThinned('CP-1');
  report.onUnwritten('CP-2');
  clock.advance(LINK_REPORT_WINDOW_MS);
  return lines;
}

/** A line as the monitoring page shows it: its source and its message, each in the page's language. */
const shown = (line: EventEntry) =>
  `${line.sourceReason === undefined ? line.source : serverText({ message: line.source, reason: line.sourceReason })}: ${serverText(line)}`;

describe("the CSMS link's event lines in the page's language", () => {
  afterEach(() => startI18n('en'));

  it('should show each line of the CSMS link in German on a German page', () => {
    // Arrange
    const lines = upstreamLines();
    startI18n('de');

    // Act
    const german = lines.map(shown);

    // Assert
    expect(german).toEqual([
      'CSMS-Anbindung: CSMS-Verbindung verloren für 2 Ladepunkte (CP-1, CP-2); der Agent antwortet an Stelle des CSMS und behält ihre Transaktionsnachrichten',
      'CSMS-Anbindung: CSMS-Verbindung wieder da für Ladepunkt CP-1, mit 3 wartenden Nachrichten zum Zustellen',
      'CSMS-Anbindung: 1 wartende Messwerte wegen der Obergrenze des Rückstands verworfen für Ladepunkt CP-1 (Verlauf ausgedünnt, Beginn, Ende und abgerechnete Energie bleiben)',
      'CSMS-Anbindung: CSMS-Weiterleitungsprotokoll kann für Ladepunkt CP-2 nicht geschrieben werden (1 Schreibvorgänge abgewiesen, der Datenträger ist voll oder defekt): ihre Nachrichten erhalten einen CALLERROR und bleiben bei den Ladepunkten, die Zustellung wartet auf den Datenträger',
    ]);
  });

  it('should keep the English lines as they were on an English page', () => {
    // Arrange
    const lines = upstreamLines();
    startI18n('en');

    // Act
    const english = lines.map(shown);

    // Assert
    expect(english).toEqual([
      'CSMS link: CSMS link lost for 2 chargers (CP-1, CP-2); the agent answers as the CSMS and keeps their transaction messages',
      'CSMS link: CSMS link back for charger CP-1, with 3 queued messages to deliver',
      "CSMS link: 1 queued meter values dropped by the backlog's bound for charger CP-1 (the curve thinned, starts, stops and billed energy kept)",
      'CSMS link: CSMS forward log cannot be written for charger CP-2 (1 writes refused, the disk is full or failing): their messages get a CALLERROR and stay with the chargers, delivery waits for the disk',
    ]);
    expect(lines.map((l) => l.message)).toEqual(english.map((text) => text.replace(/^CSMS link: /, '')));
  });
});
