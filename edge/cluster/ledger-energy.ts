/**
 * Energy of running transactions in the cluster's ledger (`energy/<transaction id>`): the charger's energy register
 * from its MeterValues, written before the MeterValues is answered, at most once every `ENERGY_RECORD_EVERY_MS` per
 * transaction (the MeterValues in between are answered without a write). A new master then shows a running session's
 * energy as of at most that long before the takeover, even for a charger that has not reached it yet. Deleted with the
 * transaction's stop, whose meter reading is the session's final energy anyway.
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { SessionRecord } from '../control/control-ports';
import type { LedgerEnergyReading } from '../ocpp/central-system-ports';
import type { ChargerInputSink } from '../ocpp/control-inputs';
import type { LeaderLedger } from './leader-ledger';
import { LedgerTransactionFields, MAX_LEDGER_TRANSACTION_RECORDS } from './ledger-transaction-record';

/** The most energy a takeover forgets: a running session's last MeterValues within this are not in the ledger. */
export const ENERGY_RECORD_EVERY_MS = 10_000;

const EnergySchema = z
  .object({
    ...LedgerTransactionFields,
    registerWh: z.number().min(0),
    sampledAt: z.number().int(),
  })
  .strict();

/** The ledger key of a transaction's energy record. */
export function energyKey(transactionId: number): string {
  return `energy/${transactionId}`;
}

export class LedgerEnergy {
  /**
   * The running transactions this node knows, by id, with their charger: only theirs are written, so a charger that
   * reports made-up transaction ids cannot fill the ledger with records no stop ever deletes.
   */
  private readonly running = new Map<number, string>();
  /** When each transaction's energy was last written by this node (dropped with its stop, and at each election). */
  private readonly writtenAt = new Map<number, number>();

  constructor(
    private readonly ledger: LeaderLedger,
    private readonly now: () => number,
  ) {}

  /** Writes the reading unless one of the same transaction was written less than `ENERGY_RECORD_EVERY_MS` ago. */
  async metered(reading: LedgerEnergyReading): Promise<void> {
    if (this.running.get(reading.transactionId) !== reading.chargerId) return;
    const now = this.now();
    const last = this.writtenAt.get(reading.transactionId);
    if (last !== undefined && now - last < ENERGY_RECORD_EVERY_MS) return;
    await this.ledger.put(energyKey(reading.transactionId), JSON.stringify(EnergySchema.parse(reading)));
    this.writtenAt.set(reading.transactionId, now);
  }

  /** A transaction started here (accepted): its energy may be recorded from now on. */
  started(transactionId: number, chargerId: string): void {
    this.running.set(transactionId, chargerId);
  }

  /** The transaction stopped (its record goes with the stop's own write). */
  forget(transactionId: number): void {
    this.running.delete(transactionId);
    this.writtenAt.delete(transactionId);
  }

  /**
   * Elected: every record the ledger holds, handed to the control loop as the charger's meter values of a session open
   * here whose energy is behind it (registers only grow). How many were taken.
   */
  async rebuild(sessions: readonly SessionRecord[], control: ChargerInputSink): Promise<number> {
    this.writtenAt.clear();
    this.running.clear();
    for (const session of sessions) this.running.set(session.transactionId, session.chargerId);
    const open = new Map(sessions.map((session) => [session.transactionId, session]));
    let taken = 0;
    for (const { key, value } of await this.ledger.list('energy', MAX_LEDGER_TRANSACTION_RECORDS)) {
      const record = parseRecord(key, value);
      const session = open.get(record.transactionId);
      if (session === undefined || record.registerWh - session.meterStartWh <= session.energyWh) continue;
      const sampledAt = { at: record.sampledAt, receivedAt: record.sampledAt, source: 'charger' as const };
      control.onChargerInput({
        type: 'meterValues',
        chargerId: record.chargerId,
        at: this.now(),
        connectorId: record.connectorId,
        transactionId: record.transactionId,
        sample: { energyWh: record.registerWh },
        sampledAt,
      });
      taken += 1;
    }
    return taken;
  }
}

function parseRecord(key: string, value: string): z.output<typeof EnergySchema> {
  try {
    return EnergySchema.parse(JSON.parse(value));
  } catch (error) {
    throw new AppError('state.invalid', `the ledger's ${key} is not an energy record`, [], { cause: error });
  }
}
