/** Valid site messages and batches for ingest tests. */
import type { EventBody, SessionBody, TelemetryBody } from '../../../../shared/sync/sync-messages';

export const AT = 1_700_000_000_000;

export function telemetryMessage(siteId: string, messageId: string, at = AT, body: Partial<TelemetryBody> = {}) {
  return {
    messageId,
    siteId,
    stream: 'telemetry',
    at,
    body: {
      evAmps: [10, 10, 10],
      limitAmps: [16, 16, 16],
      fuseAmps: [63, 63, 63],
      budget: { unit: 'A', value: 40 },
      meter: 'ok',
      charging: 1,
      paused: 0,
      gridAmps: [20, 21, 22],
      ...body,
    },
  };
}

export function sessionMessage(siteId: string, messageId: string, body: Partial<SessionBody> = {}, at = AT) {
  return {
    messageId,
    siteId,
    stream: 'sessions',
    at,
    body: {
      sessionId: 'tx-1',
      chargerId: 'CP-1',
      connectorId: 1,
      state: 'started',
      startedAt: AT,
      energyWh: 0,
      ...body,
    },
  };
}

export function eventMessage(siteId: string, messageId: string, body: Partial<EventBody> = {}, at = AT) {
  return {
    messageId,
    siteId,
    stream: 'events',
    at,
    body: { kind: 'meter.lost', severity: 'critical', message: 'meter silent for 30 s', ...body },
  };
}

export const batch = (...messages: object[]) => JSON.stringify({ v: 1, messages });
