/**
 * Signed-in dashboard sessions, in memory (a restart signs everyone out). The cookie carries a random id; only its
 * digest is kept. A session ends after `idleMs` without a request or `maxMs` after sign-in, whichever comes first,
 * and carries its own CSRF token that every write must echo in a header.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface LoginSession {
  readonly user: string;
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
  /** A short, non-secret handle for the audit log. */
  readonly handle: string;
}

export interface SessionLifetime {
  readonly idleMs: number;
  readonly maxMs: number;
}

const digest = (id: string) => createHash('sha256').update(id).digest('base64url');

export class LoginSessions {
  private readonly sessions = new Map<string, LoginSession>();

  constructor(
    private readonly lifetime: SessionLifetime,
    private readonly now: () => number,
  ) {}

  /** Starts a session; returns the cookie value and the session. */
  create(user: string): { id: string; session: LoginSession } {
    this.prune();
    const id = randomBytes(32).toString('base64url');
    const at = this.now();
    const key = digest(id);
    const session: LoginSession = {
      user,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: at,
      lastSeenAt: at,
      handle: key.slice(0, 8),
    };
    this.sessions.set(key, session);
    return { id, session };
  }

  /** The live session for a cookie value (and its idle clock restarts), or undefined when unknown or expired. */
  touch(id: string | undefined): LoginSession | undefined {
    if (id === undefined) return undefined;
    const key = digest(id);
    const session = this.sessions.get(key);
    if (session === undefined) return undefined;
    const at = this.now();
    if (this.expired(session, at)) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastSeenAt = at;
    return session;
  }

  end(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(digest(id));
  }

  /** Ends every session (after a password change). */
  endAll(): void {
    this.sessions.clear();
  }

  get maxAgeSeconds(): number {
    return Math.floor(this.lifetime.maxMs / 1000);
  }

  private expired(session: LoginSession, at: number): boolean {
    return at - session.lastSeenAt > this.lifetime.idleMs || at - session.createdAt > this.lifetime.maxMs;
  }

  private prune(): void {
    const at = this.now();
    for (const [key, session] of this.sessions) if (this.expired(session, at)) this.sessions.delete(key);
  }
}
