import { afterEach, describe, expect, it } from 'vitest';
import { dashboardAssets } from '../../../../edge/dashboard/http/dashboard-assets';
import { startHarness, type Harness } from './dashboard-harness';

describe('dashboard: Host allow-list (DNS rebinding)', () => {
  let h: Harness;
  afterEach(() => h.close());

  it.each([
    'http://evil.example/api/session',
    'http://evil.example/',
    'http://dashboard.test.evil.example/api/session',
    'http://sub.dashboard.test/api/session',
  ])('should refuse %s with 403 and say how to allow the name', async (url) => {
    // Arrange
    h = startHarness();

    // Act
    const response = await h.fetch(new Request(url));

    // Assert
    expect(response.status).toBe(403);
    const host = new URL(url).hostname;
    expect(await response.json()).toEqual({
      error: 'auth.forbidden',
      message: `the dashboard does not answer to the host name "${host}" (a DNS rebinding attempt, or a name to add to dashboard.allowedHosts)`,
      details: [],
    });
  });

  it.each([
    'http://127.0.0.1:8080/api/session',
    'http://[::1]:8080/api/session',
    'http://192.168.10.2/api/session',
    'http://[fd00::2]/api/session',
    'http://localhost:8080/api/session',
    'http://gw.localhost/api/session',
    'http://dashboard.test/api/session',
    'http://DASHBOARD.TEST./api/session',
    'http://gateway.site.example/api/session',
    'http://a.b.site.example/api/session',
  ])('should answer %s', async (url) => {
    // Arrange: dashboard.test is configured as a name, .site.example as a domain with its subdomains
    h = startHarness({ allowedHosts: ['dashboard.test', '.site.example'] });

    // Act
    const response = await h.fetch(new Request(url));

    // Assert
    expect(response.status).toBe(200);
  });
});

describe('dashboard: source map', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('should serve the source map only to a signed-in session, and the page and script to anyone', async () => {
    // Arrange
    h = startHarness({ assets: dashboardAssets() });
    const { cookie } = await h.signIn();

    // Act
    const anonymousMap = await h.call('GET', '/app.js.map');
    const signedInMap = await h.call('GET', '/app.js.map', { cookie });
    const script = await h.call('GET', '/app.js');

    // Assert
    expect(anonymousMap.status).toBe(401);
    expect(((await anonymousMap.json()) as { error: string }).error).toBe('auth.unauthenticated');
    expect(signedInMap.status).toBe(200);
    expect(((await signedInMap.json()) as { version: number }).version).toBe(3);
    expect(script.status).toBe(200);
  });
});
