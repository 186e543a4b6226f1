/**
 * Upstream losses, returns and thinned meter values, summed per window: one dashboard line and one fleet event per
 * kind and window, however many chargers it concerns.
 */
import { describe, expect, it } from 'vitest';
import type { EventEntry } from '../../../../shared/dashboard/api-answers';
import type { EventBody } from '../../../../shared/sync/sync-messages';
import { LINK_REPORT_WINDOW_MS, UpstreamLinkReport } from '../../../../edge/upstream/upstream-link-report';
import { ManualClock } from '../../../../sim/charger/sim-clock';

function reportWith(backlogs: Record<string, number>) {
  const clock = new ManualClock();
  const lines: EventEntry[] = [];
  const events: EventBody[] = [];
  const quiet = () => undefined;
  const report = new UpstreamLinkReport(
    {
      log: { warn: quiet, info: quiet },
      addEvent: (entry) => lines.push(entry),
      outbox: { enqueue: (_stream, body) => (events.push(body), { ok: true }) },
      backlogMessages: (id) => backlogs[id] ?? 0,
    },
    { now: () => clock.now(), after: (ms, fn) => clock.after(ms, fn) },
  );
  return { clock, lines, events, report };
}

describe('UpstreamLinkReport', () => {
  it('should report a site-wide loss as one line and one event, and the return with what waits', () => {
    // Arrange
    const { clock, lines, events, report } = reportWith({ 'CP-1': 3, 'CP-2': 1 });
    const at = clock.now();

    // Act: 12 links lost within the window, two back in the next one
    for (let i = 1; i <= 12; i++) report.onLinkChange({ chargerId: `CP-${i}`, change: 'lost', at });
    clock.advance(LINK_REPORT_WINDOW_MS);
    for (const id of ['CP-1', 'CP-2']) report.onLinkChange({ chargerId: id, change: 'recovered', at: clock.now() });
    clock.advance(LINK_REPORT_WINDOW_MS);

    // Assert
    expect(events.map((e) => [e.kind, e.severity, e.details?.chargers])).toEqual([
      ['upstream.lost', 'warning', 12],
      ['upstream.recovered', 'info', 2],
    ]);
    expect(lines.map((l) => l.message)).toEqual([
      'CSMS link lost for 12 chargers (CP-1, CP-10, CP-11, CP-12, CP-2, CP-3, CP-4, CP-5, CP-6, CP-7, …); the agent answers as the CSMS and keeps their transaction messages',
      'CSMS link back for 2 chargers (CP-1, CP-2), with 4 queued messages to deliver',
    ]);
  });

  it('should count the meter values thinned per window, naming the charger', () => {
    // Arrange
    const { clock, events, report } = reportWith({});

    // Act
    for (let i = 0; i < 40; i++) report.onThinned('CP-7');
    clock.advance(LINK_REPORT_WINDOW_MS);
    report.onThinned('CP-7');
    report.flush();

    // Assert
    expect(events.map((e) => [e.kind, e.chargerId, e.details?.meterValues])).toEqual([
      ['upstream.thinned', 'CP-7', 40],
      ['upstream.thinned', 'CP-7', 1],
    ]);
  });

  it('should report the writes the disk refused as one error line and one critical event per window', () => {
    // Arrange
    const { clock, lines, events, report } = reportWith({});

    // Act: the disk refuses three writes for one charger and one for another within a window
    for (const id of ['CP-1', 'CP-1', 'CP-2', 'CP-1']) report.onUnwritten(id);
    clock.advance(LINK_REPORT_WINDOW_MS);

    // Assert
    expect(events.map((e) => [e.kind, e.severity, e.details?.chargers, e.details?.writesRefused])).toEqual([
      ['upstream.unwritten', 'critical', 2, 4],
    ]);
    expect(lines.map((l) => [l.severity, l.message])).toEqual([
      [
        'error',
        'CSMS forward log cannot be written for 2 chargers (CP-1, CP-2) (4 writes refused, the disk is full or failing): their messages get a CALLERROR and stay with the chargers, delivery waits for the disk',
      ],
    ]);
  });
});
