/**
 * What a new master rebuilds from the ledger before it takes chargers: its SQLite working copy of the open
 * transactions. A transaction the ledger has open that this node does not (another master started it) is started
 * here, so the charger's later MeterValues and StopTransaction find it and its energy is counted; one this node still
 * has open that the ledger has stopped (another master took its stop) is stopped here. Both go in as the control
 * loop's own inputs, so the store, the site runtime and the reports treat them like any other start and stop; an
 * adopted start says so, since the other master's last lease on its connector is unknown here and may still run.
 * A transaction started and stopped wholly elsewhere goes straight to the store's history (nothing runs on it any
 * more), once: the store keeps every transaction it has by id, so a later takeover copies only what it lacks.
 */
import { notBefore } from '../control/charger-time';
import type { SessionRecord, SessionStop, TimeReceipt } from '../control/control-ports';
import type { ChargerInputSink } from '../ocpp/control-inputs';
import type { LedgerTransaction } from './ledger-transactions';

/** Where closed transactions of other masters go (edge/store/session-store.ts). */
export interface ClosedSessionSink {
  /** Stores a session started and stopped elsewhere; false when the store has the transaction already. */
  recordClosedSession(session: SessionRecord, started: TimeReceipt, stop: SessionStop, stopped: TimeReceipt): boolean;
}

export interface AdoptionCount {
  readonly started: number;
  readonly stopped: number;
  /** Closed transactions copied into the store's history. */
  readonly copied: number;
}

export function adoptTransactions(
  ledger: ReadonlyMap<number, LedgerTransaction>,
  local: readonly SessionRecord[],
  sinks: { readonly control: ChargerInputSink; readonly history: ClosedSessionSink },
  now: number,
): AdoptionCount {
  const { control, history } = sinks;
  const openHere = new Set(local.map((session) => session.transactionId));
  let started = 0;
  let stopped = 0;
  for (const [transactionId, { start, stop }] of ledger) {
    if (start === undefined || stop !== undefined || start.status !== 'Accepted' || openHere.has(transactionId))
      continue;
    control.onChargerInput({ type: 'transactionStarted', at: now, ...start, adopted: true });
    started += 1;
  }
  for (const session of local) {
    const stop = ledger.get(session.transactionId)?.stop;
    if (stop === undefined) continue;
    control.onChargerInput({
      type: 'transactionStopped',
      at: now,
      chargerId: session.chargerId,
      transactionId: stop.transactionId,
      meterStopWh: stop.meterStopWh,
      reason: stop.reason,
      stoppedAt: stop.stoppedAt,
    });
    stopped += 1;
  }
  return { started, stopped, copied: copyClosed(ledger, history) };
}

/** Copies the ledger's closed transactions into the store's history; how many it did not have. */
export function copyClosed(ledger: ReadonlyMap<number, LedgerTransaction>, history: ClosedSessionSink): number {
  let copied = 0;
  for (const [transactionId, { start, stop }] of ledger) {
    // Only an accepted start is a session (load-controller.ts). The store refuses one it has: one still open here is
    // stopped through the control loop, which also ends it in the site runtime.
    if (start?.status !== 'Accepted' || stop === undefined) continue;
    const { chargerId, connectorId, idTag, meterStartWh, startedAt } = start;
    const stoppedAt = notBefore(stop.stoppedAt, startedAt.at);
    const session = {
      transactionId,
      chargerId,
      connectorId,
      idTag,
      startedAt: startedAt.at,
      meterStartWh,
      energyWh: 0,
    };
    const { meterStopWh, reason } = stop;
    const added = history.recordClosedSession(
      session,
      { receivedAt: startedAt.receivedAt, source: startedAt.source },
      { transactionId, stoppedAt: stoppedAt.at, meterStopWh, reason },
      { receivedAt: stoppedAt.receivedAt, source: stoppedAt.source },
    );
    if (added) copied += 1;
  }
  return copied;
}
