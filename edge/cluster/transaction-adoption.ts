/**
 * What a new master rebuilds from the ledger before it takes chargers: its SQLite working copy of the open
 * transactions. A transaction the ledger has open that this node does not (another master started it) is started
 * here, so the charger's later MeterValues and StopTransaction find it and its energy is counted; one this node still
 * has open that the ledger has stopped (another master took its stop) is stopped here. Both go in as the control
 * loop's own inputs, so the store, the site runtime and the reports treat them like any other start and stop; an
 * adopted start says so, since the other master's last lease on its connector is unknown here and may still run.
 */
import type { SessionRecord } from '../control/control-ports';
import type { ChargerInputSink } from '../ocpp/control-inputs';
import type { LedgerTransaction } from './ledger-transactions';

export interface AdoptionCount {
  readonly started: number;
  readonly stopped: number;
}

export function adoptTransactions(
  ledger: ReadonlyMap<number, LedgerTransaction>,
  local: readonly SessionRecord[],
  control: ChargerInputSink,
  now: number,
): AdoptionCount {
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
  return { started, stopped };
}
