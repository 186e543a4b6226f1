/** The control loop's events as lines for the dashboard's event list (routine ones, like accepted limits, are left out). */
import { formatConnectorRef } from '../../../shared/site/connector-ref';
import type { ControlEvent } from '../../control/control-events';
import type { EventEntry } from '../../../shared/dashboard/api-answers';

const ADOPTION_CAUSES = {
  status: 'the charger reported it',
  transaction: 'a transaction started on it',
  storedSession: 'a stored session runs on it',
} as const;

export function controlEventLine(event: ControlEvent): EventEntry | undefined {
  const at = event.at;
  switch (event.type) {
    case 'profileFailed':
      return {
        at,
        severity: 'warning',
        source: formatConnectorRef(event.chargerId, event.connectorId),
        message: `limit ${event.amps} A ${event.outcome} (${event.failures} in a row); retry in ${Math.round(event.retryInMs / 1000)} s`,
      };
    case 'chargerUnresponsive':
      return {
        at,
        severity: 'error',
        source: event.chargerId,
        message: 'does not answer: its last limit stays reserved',
      };
    case 'chargerResponsive':
      return { at, severity: 'info', source: event.chargerId, message: 'answers again' };
    case 'meterLost':
      return {
        at,
        severity: 'error',
        source: event.meterId,
        message: `lost (${event.reason}): circuit ${event.circuitId} runs on the fail-safe budget`,
      };
    case 'meterRecovered':
      return {
        at,
        severity: 'info',
        source: event.meterId,
        message: `back: dynamic control of circuit ${event.circuitId} resumes`,
      };
    case 'connectorAdopted':
      return {
        at,
        severity: 'warning',
        source: event.ref,
        message: `not in the site file: adopted under its charger's circuit and maximum (${ADOPTION_CAUSES[event.cause]}); list it in the site file to make this permanent`,
      };
    case 'connectorRefused': {
      const refused =
        event.transactionId === undefined
          ? 'not controlled'
          : `transaction ${event.transactionId} refused (answered Invalid)`;
      return { at, severity: 'error', source: event.ref, message: `${refused}: ${event.reason}` };
    }
    case 'sessionStarted':
      return {
        at,
        severity: 'info',
        source: event.ref,
        message: `session ${event.transactionId} started (${event.idTag})`,
      };
    case 'sessionEnded':
      return {
        at,
        severity: 'info',
        source: event.ref,
        message: `session ${event.transactionId} ended: ${(event.energyWh / 1000).toFixed(2)} kWh`,
      };
    case 'storagePaused':
      return {
        at,
        severity: 'error',
        source: 'storage',
        message: `storage full: history paused (${event.reason}); control carries on from memory, writes are retried`,
      };
    case 'storageRecovered':
      return {
        at,
        severity: 'info',
        source: 'storage',
        message: `storage recovered: ${event.writes} waiting writes stored`,
      };
    default:
      return undefined;
  }
}
