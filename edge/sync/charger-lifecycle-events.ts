/**
 * Charger lifecycle for the fleet: connects, disconnects, boots, faults (StatusNotification `Faulted` or an error code
 * other than `NoError`) and recoveries become site events in the outbox, each charger bounded by an EventCoalescer.
 * Fed from the OCPP layer's event stream by edge/main.ts; synchronous, never throws.
 */
import { formatConnectorRef } from '../../shared/site/connector-ref';
import { closeReasonParam } from '../../shared/charger-close-messages';
import { eventSaid } from '../../shared/sync/event-reasons';
import type { EventBody } from '../../shared/sync/sync-messages';
import type { Clock } from '../platform/clock';
import type { ChargerEvent } from '../ocpp/charger-events';
import { EventCoalescer } from './event-coalescer';
import type { OutboxProducer } from './outbox';
import type { SyncLog } from './sync-ports';

export interface ChargerLifecycleOptions {
  readonly clock: Clock;
  readonly log: SyncLog;
  /** Events per charger sent at once in a window; more are coalesced. */
  readonly burst: number;
  readonly windowMs: number;
}

/** A reboot is disconnect, connect, boot (and maybe a fault): a burst of 6 a minute lets two through untouched. */
export const LIFECYCLE_LIMITS = { burst: 6, windowMs: 60_000 } as const;

type StatusEvent = Extract<ChargerEvent, { type: 'status' }>;

const text = (value: string) => value.slice(0, 500);

export class ChargerLifecycleEvents {
  /** Connectors in a fault, with what the fault was, so a repeated StatusNotification is not a new event. */
  private readonly faults = new Map<string, string>();
  private readonly coalescer: EventCoalescer;
  private stopped = false;

  constructor(outbox: OutboxProducer, options: ChargerLifecycleOptions) {
    const send = (body: EventBody, at: number) => {
      const result = outbox.enqueue('events', body, at);
      if (!result.ok)
        options.log.warn({ kind: body.kind, issues: result.issues }, 'charger event not queued for the cloud');
    };
    this.coalescer = new EventCoalescer(send, options.clock, options);
  }

  onEvent(event: ChargerEvent): void {
    if (this.stopped) return;
    const body = this.bodyOf(event);
    if (body !== undefined) this.coalescer.offer(event.chargerId, body, event.at);
  }

  /** Sends what the coalescer holds and takes no more events (the outbox closes next). */
  stop(): void {
    this.coalescer.flushAll();
    this.stopped = true;
  }

  private bodyOf(event: ChargerEvent): EventBody | undefined {
    const { chargerId } = event;
    switch (event.type) {
      case 'connected': {
        return {
          ...(event.remoteAddress === undefined
            ? eventSaid('charger.connected', 'siteEvent.connected', { charger: chargerId })
            : eventSaid('charger.connected', 'siteEvent.connectedFrom', {
                charger: chargerId,
                address: text(event.remoteAddress),
              })),
          severity: 'info',
          chargerId,
          ...(event.remoteAddress !== undefined && { details: { remoteAddress: text(event.remoteAddress) } }),
        };
      }
      case 'disconnected': {
        const details = {
          ...(event.code !== undefined && { code: event.code }),
          ...(event.reason !== '' && { reason: text(event.reason) }),
        };
        return {
          ...disconnectedSaid(chargerId, event.code === undefined ? undefined : String(event.code), text(event.reason)),
          severity: 'warning',
          chargerId,
          details,
        };
      }
      case 'booted': {
        const said = {
          charger: chargerId,
          vendor: text(event.vendor),
          model: text(event.model),
          registration: { ref: `event.registration.${event.registration}` },
        } as const;
        const details = {
          registration: event.registration,
          vendor: text(event.vendor),
          model: text(event.model),
          ...(event.serialNumber !== undefined && { serialNumber: text(event.serialNumber) }),
          ...(event.firmwareVersion !== undefined && { firmwareVersion: text(event.firmwareVersion) }),
        };
        return {
          ...(event.firmwareVersion === undefined
            ? eventSaid('charger.booted', 'siteEvent.booted', said)
            : eventSaid('charger.booted', 'siteEvent.bootedFirmware', {
                ...said,
                firmware: text(event.firmwareVersion),
              })),
          severity: 'info',
          chargerId,
          details,
        };
      }
      case 'status':
        return this.statusBody(event);
      default:
        return undefined;
    }
  }

  private statusBody(event: StatusEvent): EventBody | undefined {
    const { chargerId, connectorId, status, errorCode } = event;
    const key = formatConnectorRef(chargerId, connectorId);
    if (status === 'Faulted' || errorCode !== 'NoError') {
      const fault = `${status}/${errorCode}/${event.vendorErrorCode ?? ''}/${event.info ?? ''}`;
      if (this.faults.get(key) === fault) return undefined;
      this.faults.set(key, fault);
      const extra = [event.info, event.vendorErrorCode].filter((v) => v !== undefined && v !== '').join(', ');
      const details = {
        connectorId,
        status,
        errorCode,
        ...(event.info !== undefined && { info: text(event.info) }),
        ...(event.vendorErrorCode !== undefined && { vendorErrorCode: text(event.vendorErrorCode) }),
      };
      const said = { charger: chargerId, connector: connectorId, fault: errorCode === 'NoError' ? status : errorCode };
      return {
        ...(extra === ''
          ? eventSaid('charger.faulted', 'siteEvent.faulted', said)
          : eventSaid('charger.faulted', 'siteEvent.faultedInfo', { ...said, info: text(extra) })),
        severity: status === 'Faulted' ? 'critical' : 'warning',
        chargerId,
        details,
      };
    }
    if (!this.faults.delete(key)) return undefined;
    return {
      ...eventSaid('charger.recovered', 'siteEvent.recovered', { charger: chargerId, connector: connectorId, status }),
      severity: 'info',
      chargerId,
      details: { connectorId, status },
    };
  }
}

/**
 * A disconnect said with the WebSocket close code and the close reason, each when there is one (the agent's own
 * reason by its message, a charger's as written). The code is text:
 * a number would be formatted for the page's language (1.006 in German).
 */
function disconnectedSaid(charger: string, code: string | undefined, reason: string) {
  if (code === undefined)
    return reason === ''
      ? eventSaid('charger.disconnected', 'siteEvent.disconnected', { charger })
      : eventSaid('charger.disconnected', 'siteEvent.disconnectedBecause', {
          charger,
          reason: closeReasonParam(reason),
        });
  return reason === ''
    ? eventSaid('charger.disconnected', 'siteEvent.disconnectedCode', { charger, code })
    : eventSaid('charger.disconnected', 'siteEvent.disconnectedCodeBecause', {
        charger,
        code,
        reason: closeReasonParam(reason),
      });
}
