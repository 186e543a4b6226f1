import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startHarness, type Harness } from './dashboard-harness';

const WRONG = { username: 'admin', password: 'not the password' };
const RIGHT = { username: 'admin', password: ADMIN_PASSWORD };

describe('dashboard: sign-in back-off and lockout', () => {
  let h: Harness;
  beforeEach(() => (h = startHarness()));
  afterEach(() => h.close());

  it('should refuse even the right password with 429 and Retry-After once an identity failed too often, and let it in after the wait', async () => {
    // Arrange
    await h.signIn();
    for (let i = 0; i < 5; i++) expect((await h.call('POST', '/api/login', { body: WRONG })).status).toBe(401);

    // Act
    const locked = await h.call('POST', '/api/login', { body: RIGHT });
    h.clock.advance(Number(locked.headers.get('Retry-After')) * 1000);
    const afterWait = await h.call('POST', '/api/login', { body: RIGHT });

    // Assert
    expect(locked.status).toBe(429);
    expect(locked.headers.get('Retry-After')).toBe('1');
    expect(await locked.json()).toMatchObject({
      error: 'auth.tooManyAttempts',
      message: 'too many failed sign-ins for "admin": try again in 1 s',
    });
    expect(afterWait.status).toBe(200);
  });

  it('should double the wait with each further failure, and reset after a success', async () => {
    // Arrange
    await h.signIn();
    const waits: string[] = [];

    // Act: the attacker guesses once per lockout
    for (let i = 0; i < 8; i++) {
      await h.call('POST', '/api/login', { body: WRONG });
      const refused = await h.call('POST', '/api/login', { body: WRONG });
      if (refused.status === 429) {
        waits.push(refused.headers.get('Retry-After')!);
        h.clock.advance(Number(refused.headers.get('Retry-After')) * 1000);
      }
    }
    const ok = await h.call('POST', '/api/login', { body: RIGHT });
    const fresh = await h.call('POST', '/api/login', { body: WRONG });

    // Assert
    expect(waits).toEqual(['1', '2', '4', '8', '16', '32']);
    expect(ok.status).toBe(200);
    expect(fresh.status).toBe(401);
  });

  it('should put each lockout in the event log and the agent log', async () => {
    // Arrange
    await h.signIn();

    // Act
    for (let i = 0; i < 5; i++) await h.call('POST', '/api/login', { body: WRONG });

    // Assert
    expect(h.services.deps.feed.events.recent()).toEqual([
      expect.objectContaining({
        severity: 'warning',
        source: 'dashboard sign-in',
        message: 'user "admin" locked out for 1 s after 5 failed attempts',
      }),
    ]);
    expect(h.logs.filter((l) => l.message === 'sign-in lockout')).toHaveLength(1);
  });

  it('should throttle guesses of the current password on the password change like sign-ins, for the same user', async () => {
    // Arrange: a stolen session guessing the password it would need to keep the account
    const session = await h.signIn();
    const change = (currentPassword: string) =>
      h.call('PUT', '/api/account/password', {
        ...session,
        body: { currentPassword, newPassword: 'a brand new password' },
      });
    for (let i = 0; i < 5; i++) expect((await change(`guess ${i}`)).status).toBe(403);

    // Act
    const locked = await change(ADMIN_PASSWORD);
    const signIn = await h.call('POST', '/api/login', { body: RIGHT });

    // Assert
    expect(locked.status).toBe(429);
    expect(locked.headers.get('Retry-After')).toBe('1');
    expect(signIn.status).toBe(429);
  });

  it('should lock out a source address that tries many user names, over real HTTP', async () => {
    // Arrange
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: h.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const login = (username: string) =>
      fetch(`${base}/api/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: base },
        body: JSON.stringify({ username, password: 'guess' }),
      });
    try {
      // Act
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await login(`user${i}`)).status);

      // Assert
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      expect(h.services.deps.feed.events.recent()[0]?.message).toBe(
        'address 127.0.0.1 locked out for 1 s after 5 failed attempts',
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
