/** A site's sessions as CSV (GET /sites/{siteId}/sessions.csv): the rows of the JSON list, energy in kWh, times ISO 8601 UTC. */
import { toCsv } from '../../shared/csv';
import { parseConnectorRef } from '../../shared/site/connector-ref';

export interface CsvSession {
  readonly sessionId: string;
  readonly connector: string;
  readonly idTag?: string | undefined;
  readonly startedAt: number;
  readonly stoppedAt?: number | undefined;
  readonly energyWh: number;
}

export const CLOUD_SESSION_CSV_HEADER = ['session', 'charger', 'connector', 'id tag', 'start', 'stop', 'energy kWh'];

const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());

export function sessionsCsv(sessions: readonly CsvSession[]): string {
  return toCsv(
    CLOUD_SESSION_CSV_HEADER,
    sessions.map((s) => {
      const ref = parseConnectorRef(s.connector);
      return [
        s.sessionId,
        ref?.chargerId ?? s.connector,
        ref?.connectorId ?? null,
        s.idTag ?? null,
        iso(s.startedAt),
        iso(s.stoppedAt),
        Math.round(s.energyWh) / 1000,
      ];
    }),
  );
}
