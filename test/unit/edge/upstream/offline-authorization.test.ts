import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';
import { SqliteUpstreamAuthorizationStore } from '../../../../edge/store/upstream-authorization-store';
import { authorizeOffline, type OfflineAuthorizationRules } from '../../../../edge/upstream/offline-authorization';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 3, 2);
const rules: OfflineAuthorizationRules = {
  unknownTags: 'reject',
  freeCharging: false,
  authorizationCacheMaxAgeSeconds: 24 * 3600,
};

describe('authorizeOffline', () => {
  let dir: string;
  let db: StoreDatabase;
  let store: SqliteUpstreamAuthorizationStore;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-auth-'));
    db = openStoreDatabase(dir);
    store = new SqliteUpstreamAuthorizationStore(db);
    store.applyLocalList('CP-1', {
      listVersion: 3,
      updateType: 'Full',
      localAuthorizationList: [
        { idTag: 'LISTED', idTagInfo: { status: 'Accepted' } },
        { idTag: 'BLOCKED-IN-LIST', idTagInfo: { status: 'Blocked' } },
        { idTag: 'OLD', idTagInfo: { status: 'Accepted', expiryDate: new Date(NOW - HOUR).toISOString() } },
      ],
    });
    store.cache('BLOCKED-IN-LIST', { status: 'Accepted' }, NOW);
    store.cache('CACHED', { status: 'Accepted' }, NOW - 2 * HOUR);
    store.cache('STALE', { status: 'Accepted' }, NOW - 25 * HOUR);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['LISTED', 'CP-1', rules, 'Accepted'],
    ['BLOCKED-IN-LIST', 'CP-1', rules, 'Blocked'], // the local list wins over the cache
    ['OLD', 'CP-1', rules, 'Expired'],
    ['LISTED', 'CP-2', rules, 'Invalid'], // another charger's list
    ['CACHED', 'CP-1', rules, 'Accepted'],
    ['STALE', 'CP-1', rules, 'Invalid'], // older than the cache's maximum age
    ['NEW', 'CP-1', { ...rules, unknownTags: 'accept' }, 'Accepted'],
    ['NEW', 'CP-1', { ...rules, unknownTags: 'acceptIfFree' }, 'Invalid'],
    ['NEW', 'CP-1', { ...rules, unknownTags: 'acceptIfFree', freeCharging: true }, 'Accepted'],
  ] as const)('should answer %s on %s as %s', (idTag, chargerId, given, status) => {
    expect(authorizeOffline(store, given, chargerId, idTag, NOW).status).toBe(status);
  });

  it('should apply a differential list on top of the mirrored one, with its version', () => {
    // Act
    store.applyLocalList('CP-1', {
      listVersion: 4,
      updateType: 'Differential',
      localAuthorizationList: [{ idTag: 'LISTED' }, { idTag: 'ADDED', idTagInfo: { status: 'Accepted' } }],
    });

    // Assert
    expect(store.localListVersion('CP-1')).toBe(4);
    expect(store.localListEntry('CP-1', 'LISTED')).toBeUndefined();
    expect(store.localListEntry('CP-1', 'ADDED')).toEqual({ status: 'Accepted' });
    expect(store.localListEntry('CP-1', 'OLD')?.status).toBe('Accepted');
  });
});
