import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SiteMessageSchema } from '../../../../shared/sync/sync-messages';
import type { EventEntry } from '../../../../shared/dashboard/api-answers';
import { reportLockouts } from '../../../../edge/security/lockout-report';
import { Outbox } from '../../../../edge/sync/outbox';
import { openOutboxDatabase } from '../../../../edge/sync/outbox-database';
import { tempDir } from '../sync/sync-builders';

describe('reportLockouts', () => {
  let temp: ReturnType<typeof tempDir>;
  let db: ReturnType<typeof openOutboxDatabase>;
  beforeEach(() => {
    temp = tempDir('ampshare-lockout-');
    db = openOutboxDatabase(temp.dir);
  });
  afterEach(() => {
    db.close();
    temp.remove();
  });

  it('should report a lockout to the log, the event list and the cloud outbox', () => {
    // Arrange
    const outbox = new Outbox(db, { siteId: 'site-1', maxBytes: 1024 ** 2, now: () => 1_000 });
    const warnings: object[] = [];
    const lines: EventEntry[] = [];
    const report = reportLockouts({
      log: { warn: (data) => warnings.push(data) },
      addEvent: (entry) => lines.push(entry),
      outbox,
    });

    // Act
    report({ boundary: 'ocpp', kind: 'identity', key: 'CP-7', failures: 7, lockedForMs: 240_000, at: 5_000 });

    // Assert
    expect(warnings).toEqual([
      { lockout: { boundary: 'ocpp', kind: 'identity', key: 'CP-7', failures: 7, lockedForMs: 240_000 } },
    ]);
    expect(lines).toEqual([
      {
        at: 5_000,
        severity: 'warning',
        source: 'charger sign-in (OCPP)',
        sourceReason: 'event.source.ocppSignIn',
        message: 'charger "CP-7" locked out for 4 min after 7 failed attempts',
        reason: 'event.lockedOutMinutes',
        params: { subject: { ref: 'event.lockoutSubject.charger', params: { key: 'CP-7' } }, minutes: 4, failures: 7 },
      },
    ]);
    const [row] = outbox.read('events', 0, 10);
    const message = SiteMessageSchema.parse(JSON.parse(row!.message));
    expect(message).toMatchObject({
      stream: 'events',
      at: 5_000,
      body: {
        kind: 'auth.lockout',
        severity: 'warning',
        message:
          'sign-in lockout (charger sign-in (OCPP)): charger "CP-7" locked out for 4 min after 7 failed attempts',
        reason: 'siteEvent.lockout',
        params: {
          source: { ref: 'event.source.ocppSignIn' },
          lockout: {
            ref: 'event.lockedOutMinutes',
            params: {
              subject: { ref: 'event.lockoutSubject.charger', params: { key: 'CP-7' } },
              minutes: 4,
              failures: 7,
            },
          },
        },
        details: { boundary: 'ocpp', kind: 'identity', key: 'CP-7', failures: 7, lockedForMs: 240_000 },
      },
    });
  });
});
