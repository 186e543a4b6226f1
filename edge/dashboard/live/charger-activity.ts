/** What chargers told the central system that the site configuration does not hold: address, reported rotation, faults. */
import type { PhaseRotation } from '../../../shared/units';
import type { ChargerEvent } from '../../ocpp/charger-events';
import type { EventEntry } from '../../../shared/dashboard/api-answers';

interface ChargerFacts {
  ip?: string;
  reportedPhaseRotation?: PhaseRotation;
  /** Error code per connector (0: the whole charger) while it reports one. */
  readonly faults: Map<number, string>;
}

/** A charger event as a line for the dashboard's event list, or undefined for routine traffic. */
function describe(event: ChargerEvent): Omit<EventEntry, 'at' | 'source'> | undefined {
  switch (event.type) {
    case 'connected':
      return { severity: 'info', message: `connected${event.remoteAddress ? ` from ${event.remoteAddress}` : ''}` };
    case 'connectionReplaced':
      return {
        severity: 'warning',
        message: `connected again${event.remoteAddress ? ` from ${event.remoteAddress}` : ''} while connected${event.previousAddress ? ` from ${event.previousAddress}` : ''}: the older connection was closed (two devices with one identity would keep doing this)`,
      };
    case 'disconnected':
      return { severity: 'warning', message: `disconnected${event.reason ? ` (${event.reason})` : ''}` };
    case 'booted':
      return {
        severity: 'info',
        message: `booted: ${event.vendor} ${event.model}${event.firmwareVersion ? `, firmware ${event.firmwareVersion}` : ''} (${event.registration})`,
      };
    case 'configured':
      return event.failSafeInstalled
        ? undefined
        : {
            severity: 'error',
            message: 'refused the fail-safe profile: without a lease it would run at its own maximum',
          };
    case 'status':
      return event.errorCode === 'NoError'
        ? undefined
        : {
            severity: 'error',
            message: `connector ${event.connectorId} ${event.status}: ${event.errorCode}${event.info ? ` (${event.info})` : ''}`,
          };
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
    return line && { ...line, at: event.at, source: event.chargerId };
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
