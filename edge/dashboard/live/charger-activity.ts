/** What chargers told the central system that the site configuration does not hold: address, reported rotation, faults. */
import type { PhaseRotation } from '../../../shared/units';
import type { ChargerEvent } from '../../ocpp/charger-events';
import type { EventEntry } from '../../../shared/dashboard/api-answers';
import type { MessageRef } from '../../../shared/server-messages';
import { closeReasonParam } from '../../../shared/charger-close-messages';
import { eventLine } from './event-line';

interface ChargerFacts {
  ip?: string;
  reportedPhaseRotation?: PhaseRotation;
  /** Error code per connector (0: the whole charger) while it reports one. */
  readonly faults: Map<number, string>;
}

type Line = Pick<EventEntry, 'severity'> & { readonly said: MessageRef };

/** A charger event as a line for the dashboard's event list, or undefined for routine traffic. */
function describe(event: ChargerEvent): Line | undefined {
  switch (event.type) {
    case 'connected':
      return {
        severity: 'info',
        said: event.remoteAddress
          ? { reason: 'event.connectedFrom', params: { address: event.remoteAddress } }
          : { reason: 'event.connected' },
      };
    case 'connectionReplaced':
      return {
        severity: 'warning',
        said:
          event.remoteAddress && event.previousAddress
            ? {
                reason: 'event.connectionReplacedFrom',
                params: { address: event.remoteAddress, previous: event.previousAddress },
              }
            : { reason: 'event.connectionReplaced' },
      };
    case 'disconnected':
      return {
        severity: 'warning',
        said: event.reason
          ? { reason: 'event.disconnectedBecause', params: { reason: closeReasonParam(event.reason) } }
          : { reason: 'event.disconnected' },
      };
    case 'booted': {
      const params = {
        vendor: event.vendor,
        model: event.model,
        registration: { ref: `event.registration.${event.registration}` as const },
      };
      return {
        severity: 'info',
        said: event.firmwareVersion
          ? { reason: 'event.bootedFirmware', params: { ...params, firmware: event.firmwareVersion } }
          : { reason: 'event.booted', params },
      };
    }
    case 'configured':
      return event.failSafeInstalled ? undefined : { severity: 'error', said: { reason: 'event.failSafeRefused' } };
    case 'status': {
      if (event.errorCode === 'NoError') return undefined;
      const params = { connector: String(event.connectorId), status: event.status, errorCode: event.errorCode };
      return {
        severity: 'error',
        said: event.info
          ? { reason: 'event.connectorFaultInfo', params: { ...params, info: event.info } }
          : { reason: 'event.connectorFault', params },
      };
    }
    default:
      return undefined;
  }
}

export class ChargerActivity {
  private readonly facts = new Map<string, ChargerFacts>();

  /** Records the event; returns its line for the event list, if it deserves one. */
  record(event: ChargerEvent): EventEntry | undefined {
    const facts = this.factsOf(event.chargerId);
    if (event.type === 'connected' && event.remoteAddress !== undefined) facts.ip = event.remoteAddress;
    if (event.type === 'configured' && event.capabilities.phaseRotation !== undefined)
      facts.reportedPhaseRotation = event.capabilities.phaseRotation;
    if (event.type === 'status') {
      if (event.errorCode === 'NoError') facts.faults.delete(event.connectorId);
      else facts.faults.set(event.connectorId, event.errorCode);
    }
    const line = describe(event);
    return line && eventLine(event.at, line.severity, event.chargerId, line.said);
  }

  ip(chargerId: string): string | undefined {
    return this.facts.get(chargerId)?.ip;
  }

  reportedPhaseRotation(chargerId: string): PhaseRotation | undefined {
    return this.facts.get(chargerId)?.reportedPhaseRotation;
  }

  /** The fault a connector (or its whole charger) reports, if any. */
  fault(chargerId: string, connectorId: number): string | undefined {
    const faults = this.facts.get(chargerId)?.faults;
    return faults?.get(connectorId) ?? faults?.get(0);
  }

  private factsOf(chargerId: string): ChargerFacts {
    let facts = this.facts.get(chargerId);
    if (facts === undefined) {
      facts = { faults: new Map() };
      this.facts.set(chargerId, facts);
    }
    return facts;
  }
}
