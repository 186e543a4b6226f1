/**
 * Boundary fuzz: the dashboard API. Generated requests to every route (signed in and not, with and without the CSRF
 * header): bodies mutated from valid ones or any JSON, text that is not JSON, odd methods and ids. Every answer is
 * a 2xx, or a 4xx with a JSON error naming what is wrong; never a 5xx, and nothing is logged as an error.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyValue, mutated } from '../../../support/fuzz-inputs';
import { startHarness, type Harness } from './dashboard-harness';

/** Valid bodies per route; the fuzzer mutates them. (Signing out and changing the password would end the fuzzer's session: the auth tests cover them.) */
const ROUTES: ReadonlyArray<{ method: string; path: string; body?: Record<string, unknown> }> = [
  { method: 'GET', path: '/api/session' },
  { method: 'POST', path: '/api/login', body: { password: 'a long admin password' } },
  { method: 'POST', path: '/api/setup', body: { token: 'x'.repeat(32), password: 'another long password' } },
  { method: 'GET', path: '/api/policy' },
  { method: 'PUT', path: '/api/policy', body: { $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 40 } } },
  { method: 'GET', path: '/api/allocations' },
  {
    method: 'POST',
    path: '/api/allocations/preview',
    body: { policy: { $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 40 } } },
  },
  { method: 'GET', path: '/api/monitoring' },
  { method: 'GET', path: '/api/cluster' },
  { method: 'GET', path: '/api/chargers' },
  { method: 'PUT', path: '/api/chargers/CP-1/enabled', body: { enabled: false } },
  { method: 'PUT', path: '/api/chargers/CP-1/vip', body: { vip: true } },
  { method: 'PUT', path: '/api/chargers/CP-1/password', body: { password: 'a charger password' } },
];

const body = (valid: Record<string, unknown> | undefined) =>
  fc.oneof(
    fc.constant(valid === undefined ? undefined : JSON.stringify(valid)),
    mutated(valid ?? {}).map((value) => JSON.stringify(value)),
    anyValue.map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 100 }),
  );
const request = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .constantFrom(...ROUTES)
      .chain((route) => body(route.body).map((text) => ({ method: route.method, path: route.path, text }))),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), fc.constantFrom(...ROUTES))
      .map(([method, route]) => ({ method, path: route.path, text: '{}' })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('enabled', 'vip', 'password'), fc.string({ minLength: 1, maxLength: 60 }))
      .map(([what, id]) => ({
        method: 'PUT',
        path: `/api/chargers/${encodeURIComponent(id)}/${what}`,
        text: JSON.stringify({ enabled: true, vip: true, password: 'a charger password' }),
      })),
  },
);

describe('dashboard API boundary fuzz', () => {
  let harness: Harness;
  let session: { cookie: string; csrf: string };
  beforeAll(async () => {
    harness = startHarness();
    session = await harness.signIn();
  });
  afterAll(() => harness.close());

  it('should answer 600 generated requests with 2xx or a 4xx JSON error, never a 5xx', async () => {
    const answers = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        request,
        fc.constantFrom('session', 'session without CSRF', 'none'),
        async ({ method, path, text }, who) => {
          // Act
          const response = await harness.call(method, path, {
            ...(text !== undefined && method !== 'GET' && { rawBody: text }),
            ...(who !== 'none' && { cookie: session.cookie }),
            ...(who === 'session' && { csrf: session.csrf }),
          });

          // Assert
          answers.set(response.status, (answers.get(response.status) ?? 0) + 1);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            const answer = (await response.json()) as { error?: string; message?: string };
            expect(answer.error).toEqual(expect.any(String));
            expect(answer.message).toEqual(expect.any(String));
          }
        },
      ),
      { numRuns: 600, seed: 5 },
    );
    expect(harness.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect([...answers.keys()].some((status) => status >= 400)).toBe(true);
    expect([...answers.keys()].some((status) => status < 300)).toBe(true);
  }, 120_000);
});
