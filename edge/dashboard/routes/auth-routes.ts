/** Signing in: the session state, the one-time setup, sign-in, sign-out and the admin password change (both password checks throttled: back-off and lockout). */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../../shared/errors';
import type { SessionAnswer } from '../../../shared/dashboard/api-answers';
import { LoginRequestSchema, PasswordChangeRequestSchema, SetupRequestSchema } from './api-requests';
import { ADMIN_USER } from '../auth/admin-account';
import type { LoginSession } from '../auth/login-sessions';
import { requireSession, SESSION_COOKIE } from '../auth/session-guard';
import type { DashboardServices } from '../dashboard-services';
import type { Attempt } from '../../security/auth-throttle';
import { remoteAddress, type DashboardEnv } from '../http/dashboard-env';
import { jsonBody } from '../http/json-input';

export function authRoutes(services: DashboardServices) {
  const { account, sessions, audit } = services;
  const idleMinutes = services.settings.sessionIdleMinutes;
  const signedIn = (c: Context, user: string): SessionAnswer => {
    const { id, session } = sessions.create(user);
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: sessions.maxAgeSeconds,
      secure: new URL(c.req.url).protocol === 'https:',
    });
    return answerFor(session);
  };
  const answerFor = (session: LoginSession): SessionAnswer => ({
    state: 'signedIn',
    user: session.user,
    csrfToken: session.csrfToken,
    idleMinutes,
  });

  /** Begins a password check for `user`, or refuses it with 429 and Retry-After while the user or the address is locked out. */
  const throttled = (c: Context, action: string, user: string): Attempt => {
    const attempt = services.deps.signInThrottle.begin({ identity: user, address: remoteAddress(c) });
    if (attempt.allowed) return attempt;
    // Refused before the password is checked: during a lockout even the right one does not get in.
    const seconds = Math.ceil(attempt.retryAfterMs / 1000);
    audit.access(c, action, 'refused', { user, lockedBy: attempt.lockedBy, retryAfterSeconds: seconds });
    c.header('Retry-After', String(seconds));
    throw attempt.lockedBy === 'identity'
      ? AppError.because('auth.tooManyAttempts', 'signIn.tooManyAttemptsUser', { user, seconds })
      : AppError.because('auth.tooManyAttempts', 'signIn.tooManyAttemptsAddress', { seconds });
  };

  const app = new Hono<DashboardEnv>();
  app.get('/session', (c) => {
    const session = sessions.touch(getCookie(c, SESSION_COOKIE));
    if (session) return c.json(answerFor(session));
    return c.json<SessionAnswer>({
      state: account.needsSetup ? 'setup' : 'signedOut',
      user: null,
      csrfToken: null,
      idleMinutes,
    });
  });
  app.post('/setup', async (c) => {
    const body = await jsonBody(c, SetupRequestSchema, 'setup');
    try {
      await account.completeSetup(body.token, body.password);
    } catch (error) {
      audit.access(c, 'setup', 'refused');
      throw error;
    }
    audit.access(c, 'setup', 'ok', { user: ADMIN_USER });
    return c.json(signedIn(c, ADMIN_USER));
  });
  app.post('/login', async (c) => {
    const body = await jsonBody(c, LoginRequestSchema, 'sign-in');
    const attempt = throttled(c, 'sign-in', body.username);
    const verified = await account.verify(body.username, body.password).catch((error: unknown) => {
      attempt.failed();
      throw error;
    });
    if (!verified) {
      attempt.failed();
      audit.access(c, 'sign-in', 'refused', { user: body.username });
      throw AppError.because('auth.unauthenticated', 'signIn.wrongCredentials');
    }
    attempt.succeeded();
    audit.access(c, 'sign-in', 'ok', { user: body.username });
    return c.json(signedIn(c, body.username));
  });
  app.post('/logout', requireSession(sessions), (c) => {
    sessions.end(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    audit.change(c, 'sign-out');
    return c.json<SessionAnswer>({ state: 'signedOut', user: null, csrfToken: null, idleMinutes });
  });
  app.put('/account/password', requireSession(sessions), async (c) => {
    const body = await jsonBody(c, PasswordChangeRequestSchema, 'password change');
    // The current password is a guess like a sign-in's: a stolen session must not try it faster.
    const attempt = throttled(c, 'password change', ADMIN_USER);
    try {
      await account.changePassword(body.currentPassword, body.newPassword);
    } catch (error) {
      if (AppError.match(error, 'auth.forbidden')) attempt.failed();
      else attempt.abandoned();
      throw error;
    }
    attempt.succeeded();
    audit.change(c, 'admin.password');
    // Every session (this one included) signed in with the old password ends.
    sessions.endAll();
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json<SessionAnswer>({ state: 'signedOut', user: null, csrfToken: null, idleMinutes });
  });
  return app;
}
