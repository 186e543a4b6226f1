/**
 * The one rewrite the upstream link makes to payloads: transaction ids between the charger's terms and the CSMS's.
 * A charger answered with a provisional id while the CSMS was out of reach keeps using it (MeterValues,
 * StopTransaction); the CSMS knows only the real id it gave the queued StartTransaction (RemoteStopTransaction,
 * a TxProfile's transactionId). Everything else in a payload is passed on as it came.
 */
import { isPayload } from './ocpp-payload';

/** Looks an id up in the other party's terms; undefined when there is nothing to rewrite. */
export type IdLookup = (transactionId: number) => number | undefined;

/** The payload with its transaction id (top level, or a charging profile's) in the other party's terms. */
export function rewriteTransactionId(
  action: string,
  payload: Record<string, unknown>,
  lookup: IdLookup,
): Record<string, unknown> {
  if (action === 'SetChargingProfile' || action === 'RemoteStartTransaction') {
    const key = action === 'SetChargingProfile' ? 'csChargingProfiles' : 'chargingProfile';
    const profile = payload[key];
    if (!isPayload(profile)) return payload;
    const rewritten = rewriteTop(profile, lookup);
    return rewritten === profile ? payload : { ...payload, [key]: rewritten };
  }
  return rewriteTop(payload, lookup);
}

function rewriteTop(payload: Record<string, unknown>, lookup: IdLookup): Record<string, unknown> {
  const id = payload.transactionId;
  if (typeof id !== 'number') return payload;
  const other = lookup(id);
  return other === undefined ? payload : { ...payload, transactionId: other };
}
