/**
 * Boundary fuzz: the fleet API on DynamoDB Local. A tenant sends generated requests to every route, on its own site
 * and on another tenant's, with bodies mutated from valid ones or any JSON, text that is not JSON, odd ids, query
 * strings and headers. Every answer is a 2xx or a 4xx JSON error with a code and a message, never a 5xx; the other
 * tenant's site, chargers and policy are exactly as they were.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyInput, siteInput } from '../support/fleet-builders';
import { json, NOW, startApiHarness, type ApiHarness } from '../support/api-harness';
import { anyValue, mutated } from '../../../support/fuzz-inputs';

const OWN = 'own';
const VICTIM = 'victim';

/** Every route, with a valid body where one is needed; `{site}` becomes the fuzzer's own site or the victim's. */
const ROUTES: ReadonlyArray<{ method: string; path: string; body?: unknown; headers?: Record<string, string> }> = [
  { method: 'GET', path: '/sites' },
  { method: 'POST', path: '/sites', body: siteInput('fuzz-new') },
  { method: 'GET', path: '/sites/{site}' },
  {
    method: 'PUT',
    path: '/sites/{site}',
    body: { $schemaVersion: 1, circuits: [{ id: 'main', parent: null, fuseAmps: 10 }] },
  },
  { method: 'DELETE', path: '/sites/{site}' },
  { method: 'GET', path: '/sites/{site}/chargers' },
  { method: 'PUT', path: '/sites/{site}/chargers/CP-1', body: { circuit: 'main', phases: 1, maxAmps: 16 } },
  { method: 'DELETE', path: '/sites/{site}/chargers/CP-1' },
  { method: 'GET', path: `/sites/{site}/telemetry?from=${NOW - 1000}&to=${NOW}` },
  { method: 'GET', path: '/sites/{site}/sessions' },
  { method: 'GET', path: '/sites/{site}/events' },
  { method: 'GET', path: '/sites/{site}/policy' },
  { method: 'GET', path: '/sites/{site}/policy/history' },
  { method: 'PUT', path: '/sites/{site}/policy', body: policyInput(40), headers: { 'If-Match': '1' } },
  { method: 'POST', path: '/sites/{site}/policy/preview', body: {} },
  { method: 'POST', path: '/policies/rollout', body: { siteIds: ['{site}'], policy: policyInput(30) } },
  { method: 'GET', path: '/sites/{site}/gateways' },
  { method: 'POST', path: '/sites/{site}/gateways' },
  { method: 'DELETE', path: '/sites/{site}/gateways/amp-x-r1' },
];

const request = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.tuple(fc.constantFrom(...ROUTES), fc.constantFrom(OWN, VICTIM)).chain(([route, site]) =>
      (route.body === undefined
        ? fc.constant(undefined)
        : fc.oneof(
            mutated(route.body as object).map((v) => JSON.stringify(v)),
            anyValue.map((v) => JSON.stringify(v)),
            fc.string({ maxLength: 100 }),
          )
      ).map((text) => ({
        method: route.method,
        path: route.path.replace('{site}', site),
        text: text?.replaceAll('{site}', site),
        headers: route.headers ?? {},
      })),
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...ROUTES),
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'PATCH'),
      )
      .map(([route, id, method]) => ({
        method,
        path: route.path.replace('{site}', encodeURIComponent(id)),
        text: '{}',
        headers: { 'If-Match': id.slice(0, 20) },
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        fc.constantFrom('cursor', 'limit', 'from', 'to', 'status'),
      )
      .map(([value, other, key]) => ({
        method: 'GET',
        path: `/sites/${OWN}/sessions?${key}=${encodeURIComponent(value)}&limit=${encodeURIComponent(other)}`,
        text: undefined,
        headers: {},
      })),
  },
);

describe('fleet API boundary fuzz', () => {
  let h: ApiHarness;
  const victimState = async () => ({
    site: await json(await h.request(`/sites/${VICTIM}`, { tenant: 'bravo' })),
    chargers: await json(await h.request(`/sites/${VICTIM}/chargers`, { tenant: 'bravo' })),
    policy: await json(await h.request(`/sites/${VICTIM}/policy`, { tenant: 'bravo' })),
  });
  beforeAll(async () => {
    h = await startApiHarness();
    await h.request('/sites', { method: 'POST', tenant: 'bravo', body: siteInput(VICTIM) });
    await h.request(`/sites/${VICTIM}/policy`, {
      method: 'PUT',
      tenant: 'bravo',
      headers: { 'If-Match': '0' },
      body: policyInput(40),
    });
    await h.request('/sites', { method: 'POST', tenant: 'alpha', body: siteInput(OWN) });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('should answer 400 generated requests with 2xx or a 4xx JSON error, and leave the other tenant untouched', async () => {
    // Arrange
    const before = await victimState();
    const statuses = new Map<number, number>();

    // Act
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path, text, headers }) => {
        const response = await h.request(path, {
          method,
          tenant: 'alpha',
          headers,
          ...(text !== undefined && method !== 'GET' && { body: text }),
        });

        // Assert
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, `${method} ${path}`).toBeLessThan(500);
        if (response.status >= 400) {
          const answer = await json<{ error?: string; message?: string }>(response);
          expect(answer.error).toEqual(expect.any(String));
          expect(answer.message).toEqual(expect.any(String));
        }
      }),
      { numRuns: 400, seed: 3 },
    );

    // Assert
    expect(await victimState()).toEqual(before);
    expect(h.logged.filter((l) => l.level === 'error')).toEqual([]);
    expect([...statuses.keys()].some((s) => s < 300) && [...statuses.keys()].some((s) => s >= 400)).toBe(true);
  }, 180_000);
});
