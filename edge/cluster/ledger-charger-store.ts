/**
 * The dashboard's charger store on a cluster node: a password set or a charger switched on or off is recorded in the
 * ledger (ledger-chargers.ts) before SQLite has it, so before the next connection is checked against it and before the
 * charger is told. Only the master changes them: a standby refuses (409), since the next election would replace its
 * change with the ledger's. Changes are made one at a time, so two at once on one charger cannot both read the same
 * record and leave the ledger and SQLite with different winners.
 */
import { AppError } from '../../shared/errors';
import type { MasterGate } from '../ocpp/central-system-ports';
import { type ChargerCredentialRecord, type ChargerRecord, withDashboardPassword } from '../store/charger-registry';
import type { ChargerCredentialStore, LedgerChargers } from './ledger-chargers';

/** The node's own registry (edge/store/charger-registry.ts). */
export interface LocalChargerRegistry extends ChargerCredentialStore {
  record(chargerId: string): ChargerRecord;
}

export class LedgerChargerStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly local: LocalChargerRegistry,
    private readonly ledger: LedgerChargers,
    private readonly gate: MasterGate,
  ) {}

  record(chargerId: string): ChargerRecord {
    return this.local.record(chargerId);
  }

  setEnabled(chargerId: string, enabled: boolean): Promise<void> {
    return this.change(chargerId, (record) => ({ ...record, enabled }));
  }

  setDashboardPassword(chargerId: string, hash: string, at: number): Promise<void> {
    return this.change(chargerId, (record) => withDashboardPassword(record, hash, at));
  }

  private change(chargerId: string, next: (record: ChargerCredentialRecord) => ChargerCredentialRecord): Promise<void> {
    const done = this.queue.then(async () => {
      if (!this.gate.serving()) throw AppError.because('resource.conflict', 'cluster.notMaster');
      const record = next(this.local.credentials(chargerId));
      await this.ledger.write(chargerId, record);
      this.local.setCredentials(new Map([[chargerId, record]]));
    });
    this.queue = done.catch(() => undefined);
    return done;
  }
}
