/** A sign-in lockout as the agent log line, the dashboard's event line and the cloud event that report it. */
import type { EventBody } from '../../shared/sync/sync-messages';
import type { EventEntry } from '../../shared/dashboard/api-answers';
import type { Lockout } from './auth-throttle';

const SOURCES = { dashboard: 'dashboard sign-in', ocpp: 'charger sign-in (OCPP)' } as const;
const WHO = { dashboard: 'user', ocpp: 'charger' } as const;

export interface LockoutSinks {
  readonly log: { warn(data: object, message: string): void };
  /** The dashboard's event list. */
  addEvent(entry: EventEntry): void;
  /** The cloud's events (the outbox), when the agent has a cloud link. */
  readonly outbox?: { enqueue(stream: 'events', body: EventBody, at?: number): { readonly ok: boolean } };
}

function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/** What the lockout is about, in words: `user "admin"`, `address 192.0.2.7`. */
function subject(lockout: Lockout): string {
  return lockout.kind === 'identity'
    ? `${WHO[lockout.boundary]} ${JSON.stringify(lockout.key)}`
    : `address ${lockout.key}`;
}

export function lockoutLine(lockout: Lockout): EventEntry {
  const message = `${subject(lockout)} locked out for ${duration(lockout.lockedForMs)} after ${lockout.failures} failed attempts`;
  return { at: lockout.at, severity: 'warning', source: SOURCES[lockout.boundary], message };
}

export function lockoutEventBody(lockout: Lockout): EventBody {
  return {
    kind: 'auth.lockout',
    severity: 'warning',
    message: `${SOURCES[lockout.boundary]}: ${lockoutLine(lockout).message}`.slice(0, 500),
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
