/**
 * Tells the CSMS limits which transaction runs on each connector, as the control loop saw it start and end (ids in the
 * charger's terms: the CSMS's, or a provisional one while it was away): a CSMS TxProfile applies to its transaction
 * only, and Relative schedules run from its start.
 */
import type { ControlObserver } from '../control/control-ports';
import type { ControlEvent } from '../control/control-events';
import { parseConnectorRef } from '../../shared/site/connector-ref';
import type { CsmsLimits } from './csms-limits';

export function csmsTransactions(limits: CsmsLimits): ControlObserver {
  return {
    onControlEvent(event: ControlEvent): void {
      if (event.type !== 'sessionStarted' && event.type !== 'sessionEnded') return;
      const connector = parseConnectorRef(event.ref);
      if (connector === undefined) return;
      if (event.type === 'sessionStarted')
        limits.transactionStarted(connector.chargerId, connector.connectorId, {
          transactionId: event.transactionId,
          startedAt: event.startedAt,
        });
      else limits.transactionEnded(connector.chargerId, connector.connectorId);
    },
  };
}
