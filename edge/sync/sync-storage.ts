/** The sync state on disk (`<dataDir>/outbox.sqlite`) and the outbox in it, opened before the control loop reports into it. */
import type { Clock } from '../platform/clock';
import { Outbox } from './outbox';
import { openOutboxDatabase, type OutboxDatabase } from './outbox-database';
import type { SyncConfig } from './sync-config';

export interface SyncStorage {
  readonly db: OutboxDatabase;
  readonly outbox: Outbox;
  close(): void;
}

export function openSyncStorage(config: SyncConfig, dataDir: string, clock: Clock): SyncStorage {
  const db = openOutboxDatabase(dataDir);
  try {
    const outbox = new Outbox(db, { siteId: config.siteId, maxBytes: config.outbox.maxBytes, now: () => clock.now() });
    return { db, outbox, close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}
