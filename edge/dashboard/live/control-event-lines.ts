/** The control loop's events as lines for the dashboard's event list (routine ones, like accepted limits, are left out). */
import { formatConnectorRef } from '../../../shared/site/connector-ref';
import type { ControlEvent } from '../../control/control-events';
import type { EventEntry } from '../../../shared/dashboard/api-answers';
import { asParam } from '../../../shared/server-messages';
import { storageCauseParam } from '../../../shared/storage-causes';
import { eventLine } from './event-line';

const STORAGE = { reason: 'event.source.storage' } as const;

export function controlEventLine(event: ControlEvent): EventEntry | undefined {
  const at = event.at;
  switch (event.type) {
    case 'profileFailed':
      return eventLine(at, 'warning', formatConnectorRef(event.chargerId, event.connectorId), {
        reason: 'event.profileFailed',
        params: {
          amps: event.amps,
          outcome: { ref: `event.outcome.${event.outcome}` },
          failures: event.failures,
          seconds: Math.round(event.retryInMs / 1000),
        },
      });
    case 'chargerUnresponsive':
      return eventLine(at, 'error', event.chargerId, { reason: 'event.chargerUnresponsive' });
    case 'chargerResponsive':
      return eventLine(at, 'info', event.chargerId, { reason: 'event.chargerResponsive' });
    case 'meterLost':
      return eventLine(at, 'error', event.meterId, {
        reason: 'event.meterLost',
        params: { reason: asParam(event.reason), circuit: event.circuitId },
      });
    case 'meterRecovered':
      return eventLine(at, 'info', event.meterId, {
        reason: 'event.meterRecovered',
        params: { circuit: event.circuitId },
      });
    case 'connectorAdopted':
      return eventLine(at, 'warning', event.ref, {
        reason: 'event.connectorAdopted',
        params: { cause: { ref: `event.adoptionCause.${event.cause}` } },
      });
    case 'connectorRefused':
      return eventLine(
        at,
        'error',
        event.ref,
        event.transactionId === undefined
          ? { reason: 'event.connectorNotControlled', params: { reason: asParam(event.reason) } }
          : {
              reason: 'event.transactionRefused',
              params: { transactionId: String(event.transactionId), reason: asParam(event.reason) },
            },
      );
    case 'sessionStarted':
      return eventLine(at, 'info', event.ref, {
        reason: 'event.sessionStarted',
        params: { transactionId: String(event.transactionId), idTag: event.idTag },
      });
    case 'sessionEnded':
      return eventLine(at, 'info', event.ref, {
        reason: 'event.sessionEnded',
        params: { transactionId: String(event.transactionId), kwh: Number((event.energyWh / 1000).toFixed(2)) },
      });
    case 'storagePaused':
      return eventLine(at, 'error', STORAGE, {
        reason: 'event.storagePaused',
        params: { reason: storageCauseParam(event.reason) },
      });
    case 'storageRecovered':
      return eventLine(at, 'info', STORAGE, { reason: 'event.storageRecovered', params: { writes: event.writes } });
    default:
      return undefined;
  }
}
