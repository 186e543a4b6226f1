/** The controller's state in SQLite: limits chargers accepted, the last allocation and the policy in force. */
import type { Allocation } from '../../shared/allocation/allocation-types';
import { DemandStateSchema, type DemandState } from '../../shared/demand/demand-state';
import type { Policy } from '../../shared/policy/policy-schema';
import type { AppliedLimit, ControlStateStore } from '../control/control-ports';
import { SqlitePolicyInForceStore } from './policy-in-force-store';
import { StoredAllocationSchema } from './stored-allocation';
import type { StoreDatabase } from './store-database';
import { parseStoredJson, type StoredValueProblem } from './stored-json';

interface LimitRow {
  charger_id: string;
  connector_id: number;
  transaction_id: number;
  amps: number;
  phases: number;
  accepted_at: number;
  expires_at: number;
}

export class SqliteControlStateStore implements ControlStateStore {
  private readonly limits;
  private readonly upsertLimit;
  private readonly removeLimit;
  private readonly getMeta;
  private readonly setMeta;
  readonly problems: StoredValueProblem[] = [];
  /** The policy in force with its origin: one row, which `savePolicy` also writes (PolicyInForce reads and decides). */
  readonly policyInForce: SqlitePolicyInForceStore;

  constructor(db: StoreDatabase) {
    this.limits = db.prepare<[], LimitRow>('SELECT * FROM applied_limits');
    this.upsertLimit = db.unsynced.prepare<AppliedLimit>(
      `INSERT INTO applied_limits (charger_id, connector_id, transaction_id, amps, phases, accepted_at, expires_at)
       VALUES (@chargerId, @connectorId, @transactionId, @amps, @phases, @acceptedAt, @expiresAt)
       ON CONFLICT (charger_id, connector_id) DO UPDATE SET transaction_id = excluded.transaction_id, amps = excluded.amps,
         phases = excluded.phases, accepted_at = excluded.accepted_at, expires_at = excluded.expires_at`,
    );
    this.removeLimit = db.unsynced.prepare<[string, number]>(
      'DELETE FROM applied_limits WHERE charger_id = ? AND connector_id = ?',
    );
    this.getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.setMeta = db.unsynced.prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.policyInForce = new SqlitePolicyInForceStore(db, this.problems);
  }

  appliedLimits(): AppliedLimit[] {
    return this.limits.all().map((row) => ({
      chargerId: row.charger_id,
      connectorId: row.connector_id,
      transactionId: row.transaction_id,
      amps: row.amps,
      phases: row.phases === 1 || row.phases === 2 ? row.phases : 3,
      acceptedAt: row.accepted_at,
      expiresAt: row.expires_at,
    }));
  }

  /**
   * Leases come by the thousand (with 120 s leases every charger renews every 40 s), and an fsync each blocked the
   * event loop for 0.2 to 50 ms per lease (seconds per renewal round at 1,000 chargers on a slow disk). A lease row
   * lost to a power cut costs little: the lease expires anyway, and a charger that reconnects is sent its limit again.
   */
  saveAppliedLimit(limit: AppliedLimit): void {
    this.upsertLimit(limit);
  }

  deleteAppliedLimit(chargerId: string, connectorId: number): void {
    this.removeLimit(chargerId, connectorId);
  }

  lastAllocation(): Allocation | undefined {
    const text = this.getMeta.get('lastAllocation')?.value;
    return text === undefined
      ? undefined
      : parseStoredJson('lastAllocation', text, (json) => StoredAllocationSchema.safeParse(json), this.problems);
  }

  /**
   * Saved after every round that changed it, which MeterValues trigger: an fsync each was the agent's top self-time at
   * 500 MeterValues a second. One lost to a power cut costs little: the next round after the restart allocates again,
   * its hysteresis starting from the one saved before.
   */
  saveAllocation(allocation: Allocation): void {
    this.setMeta('lastAllocation', JSON.stringify(allocation));
  }

  savePolicy(policy: Policy): void {
    this.policyInForce.savePolicy(policy);
  }

  demandState(): DemandState | undefined {
    const text = this.getMeta.get('demandState')?.value;
    return text === undefined
      ? undefined
      : parseStoredJson('demandState', text, (json) => DemandStateSchema.safeParse(json), this.problems);
  }

  /** Saved every few seconds: a count lost to a power cut is marked uncertain when the agent starts again. */
  saveDemandState(state: DemandState): void {
    this.setMeta('demandState', JSON.stringify(state));
  }
}
