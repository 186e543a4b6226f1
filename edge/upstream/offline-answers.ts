/**
 * What the agent answers a charger's call while the CSMS cannot (docs/csms.md, "Offline"): a boot is accepted for a
 * known charger, notifications are acknowledged, id tags are decided by the offline rules. Transaction messages are
 * answered here too, once they are in the forward log.
 */
import { ocppDateTime, type IdTagInfo, type RegistrationStatus } from '../ocpp/ocpp-values';

export interface OfflineAnswerContext {
  readonly registration: RegistrationStatus;
  readonly heartbeatIntervalSeconds: number;
  readonly now: number;
  /** The offline decision on an id tag (offline-authorization.ts). */
  authorize(idTag: string): IdTagInfo;
}

/** The answer to a call the CSMS did not answer; `params` has passed the charger side's schema already. */
export function offlineAnswer(
  method: string,
  params: Record<string, unknown>,
  ctx: OfflineAnswerContext,
): Record<string, unknown> {
  switch (method) {
    case 'BootNotification':
      return { status: ctx.registration, currentTime: ocppDateTime(ctx.now), interval: ctx.heartbeatIntervalSeconds };
    case 'Heartbeat':
      return { currentTime: ocppDateTime(ctx.now) };
    case 'Authorize':
      return { idTagInfo: ctx.authorize(String(params.idTag)) };
    case 'StopTransaction':
      // Always acknowledged: a charger whose StopTransaction is refused retries it for ever.
      return typeof params.idTag === 'string' ? { idTagInfo: ctx.authorize(params.idTag) } : {};
    case 'DataTransfer':
      // The vendor logic is the CSMS's: without it, the request is declined (a status the sender expects).
      return { status: 'Rejected' };
    default:
      // StatusNotification, MeterValues, DiagnosticsStatusNotification, FirmwareStatusNotification.
      return {};
  }
}
