/**
 * The dashboard's request guards. `sameOrigin`: a write whose Origin is another site is refused (browsers send Origin
 * on every cross-site POST). `requireSession`: an API call needs a live session cookie (401 otherwise), and a write
 * must carry the session's CSRF token in `X-CSRF-Token` (403 otherwise). The cookie itself is HttpOnly and
 * SameSite=Strict.
 */
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../../../shared/errors';
import type { DashboardEnv } from '../http/dashboard-env';
import type { LoginSessions } from './login-sessions';

export const SESSION_COOKIE = 'ampshare_dashboard';
export const CSRF_HEADER = 'X-CSRF-Token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isWrite = (method: string) => !SAFE_METHODS.has(method.toUpperCase());

export function sameOrigin(): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('Origin');
    if (isWrite(c.req.method) && origin !== undefined && origin !== new URL(c.req.url).origin) {
      throw new AppError('auth.forbidden', 'cross-site request refused');
    }
    await next();
  };
}

export function requireSession(sessions: LoginSessions): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const session = sessions.touch(getCookie(c, SESSION_COOKIE));
    if (session === undefined) throw AppError.because('auth.unauthenticated', 'signIn.required');
    if (isWrite(c.req.method) && c.req.header(CSRF_HEADER) !== session.csrfToken) {
      throw new AppError('auth.forbidden', `missing or wrong ${CSRF_HEADER} header`);
    }
    c.set('session', session);
    await next();
  };
}
