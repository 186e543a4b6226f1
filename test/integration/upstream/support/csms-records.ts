/**
 * What a CSMS stored of a charger's transaction messages, in the charger's terms, to compare with what the charger
 * made (`QueueingChargePoint.made`): a CSMS keeps a message it got twice once, knowing it by its content.
 */
import type { ChargerMessage, QueueingChargePoint } from './queueing-charge-point';
import type { ReceivedCall, TsOcppCsms } from './ts-ocpp-csms';

export const TRANSACTION_ACTIONS = new Set(['StartTransaction', 'MeterValues', 'StopTransaction']);

/** What a CSMS keeps of the calls it got: each transaction message once, however often it came. */
export function storedBy(csms: TsOcppCsms, chargerId: string): ReceivedCall[] {
  const seen = new Set<string>();
  return csms.received.filter((r) => {
    if (r.chargePointId !== chargerId || !TRANSACTION_ACTIONS.has(r.action)) return false;
    const key = `${r.action} ${JSON.stringify(r.payload)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The CSMS's records in the charger's terms: each message named by the charger's transaction it belongs to. */
export function inChargerTerms(csms: TsOcppCsms, charger: QueueingChargePoint): ChargerMessage[] {
  const byCsmsId = new Map<number, string>();
  const byStart = new Map<string, string>();
  for (const made of charger.made.filter((m) => m.action === 'StartTransaction')) {
    byStart.set(JSON.stringify(made.body), made.transaction);
    const csmsId = csms.transactionIdOf(charger.id, made.body);
    if (csmsId !== undefined) byCsmsId.set(csmsId, made.transaction);
  }
  return storedBy(csms, charger.id).map(({ action, payload }) => {
    const { transactionId, ...body } = payload;
    const transaction =
      action === 'StartTransaction'
        ? (byStart.get(JSON.stringify(payload)) ?? 'a start the charger never made')
        : (byCsmsId.get(Number(transactionId)) ?? `unknown id ${String(transactionId)}`);
    return { transaction, action: action as ChargerMessage['action'], body };
  });
}

/** Transaction messages the CSMS received more than once (the same payload from the same charger). */
export function receivedTwice(csms: TsOcppCsms): ReceivedCall[] {
  const count = new Map<string, number>();
  const key = (r: ReceivedCall) => `${r.chargePointId} ${r.action} ${JSON.stringify(r.payload)}`;
  for (const r of csms.received) count.set(key(r), (count.get(key(r)) ?? 0) + 1);
  return csms.received.filter((r) => TRANSACTION_ACTIONS.has(r.action) && (count.get(key(r)) ?? 0) > 1);
}
