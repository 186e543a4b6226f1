/** A dashboard write on a disk that takes no writes (full or read-only) is answered 507 with what happened, not 500. */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './dashboard-harness';

describe('dashboard on a disk that takes no writes', () => {
  let harness: Harness | undefined;
  afterEach(() => harness?.close());

  it('should answer a charger password change 507 storage.unavailable, naming the storage, and log it', async () => {
    // Arrange
    harness = startHarness();
    const { cookie, csrf } = await harness.signIn();
    harness.db.pragma('query_only = ON');

    // Act
    const response = await harness.call('PUT', '/api/chargers/CP-1/password', {
      body: { mode: 'set', password: 'a charger password 123' },
      cookie,
      csrf,
    });

    // Assert
    expect(response.status).toBe(507);
    expect(await response.json()).toMatchObject({
      error: 'storage.unavailable',
      message: expect.stringMatching(/could not be saved/) as unknown,
    });
    expect(harness.logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'dashboard change not saved: storage refused the write',
    ]);
  });
});
