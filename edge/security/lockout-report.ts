/** A sign-in lockout as the agent log line, the dashboard's event line and the cloud event that report it. */
import type { EventBody } from '../../shared/sync/sync-messages';
import type { EventEntry } from '../../shared/dashboard/api-answers';
import { asParam, type MessageParam, type MessageRef } from '../../shared/server-messages';
import { eventSaid } from '../../shared/sync/event-reasons';
import { eventLine } from '../dashboard/live/event-line';
import type { Lockout } from './auth-throttle';

const SOURCES = {
  dashboard: { reason: 'event.source.dashboardSignIn' },
  ocpp: { reason: 'event.source.ocppSignIn' },
} as const;
const WHO = { dashboard: 'user', ocpp: 'charger' } as const;

export interface LockoutSinks {
  readonly log: { warn(data: object, message: string): void };
  /** The dashboard's event list. */
  addEvent(entry: EventEntry): void;
  /** The cloud's events (the outbox), when the agent has a cloud link. */
  readonly outbox?: { enqueue(stream: 'events', body: EventBody, at?: number): { readonly ok: boolean } };
}

/** What the lockout is about (`user "admin"`, `address 192.0.2.7`), as a message of the event table. */
function subject(lockout: Lockout): MessageParam {
  const who = lockout.kind === 'identity' ? WHO[lockout.boundary] : 'address';
  return { ref: `event.lockoutSubject.${who}`, params: { key: lockout.key.slice(0, 200) } };
}

/** The lockout said with a stable reason: the event line and the cloud event say the same. */
function lockoutSaid(lockout: Lockout): MessageRef {
  const seconds = Math.ceil(lockout.lockedForMs / 1000);
  return seconds < 120
    ? { reason: 'event.lockedOutSeconds', params: { subject: subject(lockout), seconds, failures: lockout.failures } }
    : {
        reason: 'event.lockedOutMinutes',
        params: { subject: subject(lockout), minutes: Math.ceil(seconds / 60), failures: lockout.failures },
      };
}

export function lockoutLine(lockout: Lockout): EventEntry {
  return eventLine(lockout.at, 'warning', SOURCES[lockout.boundary], lockoutSaid(lockout));
}

export function lockoutEventBody(lockout: Lockout): EventBody {
  return {
    ...eventSaid('auth.lockout', 'siteEvent.lockout', {
      source: asParam(SOURCES[lockout.boundary]),
      lockout: asParam(lockoutSaid(lockout)),
    }),
    severity: 'warning',
    details: {
      boundary: lockout.boundary,
      kind: lockout.kind,
      key: lockout.key.slice(0, 200),
      failures: lockout.failures,
      lockedForMs: lockout.lockedForMs,
    },
  };
}

/** The `onLockout` of an AuthThrottle: log, event list and cloud. */
export function reportLockouts(sinks: LockoutSinks): (lockout: Lockout) => void {
  return (lockout) => {
    sinks.log.warn(
      {
        lockout: {
          boundary: lockout.boundary,
          kind: lockout.kind,
          key: lockout.key,
          failures: lockout.failures,
          lockedForMs: lockout.lockedForMs,
        },
      },
      'sign-in lockout',
    );
    sinks.addEvent(lockoutLine(lockout));
    try {
      if (sinks.outbox?.enqueue('events', lockoutEventBody(lockout), lockout.at).ok === false)
        sinks.log.warn({ lockout: lockout.key }, 'lockout event not queued for the cloud');
    } catch (error) {
      // A full disk must not turn a refused sign-in into a failed request: the throttle's callback may not throw.
      sinks.log.warn({ err: error, lockout: lockout.key }, 'lockout event not queued for the cloud');
    }
  };
}
