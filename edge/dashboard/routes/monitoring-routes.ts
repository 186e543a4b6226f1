/**
 * Device monitoring: the load chart's samples for the last hour or day, meter health, recent events, the cloud link;
 * and the load history of the range as CSV (every sample, not thinned).
 */
import { Hono } from 'hono';
import { MAX_MONITORING_POINTS, type MeterHealth, type MonitoringAnswer } from '../../../shared/dashboard/api-answers';
import { LOAD_CSV_HEADER, loadCsvRow } from '../../../shared/load-csv';
import { englishMessage } from '../../../shared/server-messages';
import { toCsv } from '../../../shared/csv';
import { MonitoringQuerySchema } from './api-requests';
import type { DashboardServices } from '../dashboard-services';
import type { DashboardEnv } from '../http/dashboard-env';
import { queryInput } from '../http/json-input';
import { RANGE_MS } from '../live/sample-ring';

/** Enough points for a chart a few hundred pixels wide. */
const MAX_POINTS = MAX_MONITORING_POINTS;

export function monitoringRoutes(services: DashboardServices) {
  const { deps } = services;
  const { reader } = deps;
  const meters = (): MeterHealth[] =>
    reader.site.circuits.flatMap((circuit) => {
      if (circuit.meterId === undefined) return [];
      const reading = reader.lastValidReading(circuit.meterId);
      // The control loop says whether the meter counts as faulty; the meter says why, with a reason for the page.
      const fault = reader.meterFault(circuit.meterId);
      const said = fault === undefined ? undefined : (deps.meterFaults.fault(circuit.meterId) ?? fault);
      const state = fault !== undefined ? 'fault' : reading === undefined ? 'noReading' : 'ok';
      return [
        {
          id: circuit.meterId,
          circuitId: circuit.id,
          state,
          lastReadingAt: reading?.at ?? null,
          amps: reading ? [...reading.amps] : null,
          fault: said === undefined ? null : { message: englishMessage(said), ...said },
        },
      ];
    });

  const app = new Hono<DashboardEnv>();
  app.get('/monitoring', (c) => {
    const { range } = queryInput(c, MonitoringQuerySchema);
    const to = deps.clock.now();
    const from = to - RANGE_MS[range];
    const { samples, stepMs } = deps.feed.history.since(from, MAX_POINTS);
    return c.json<MonitoringAnswer>({
      range,
      from,
      to,
      stepMs,
      nominalVolts: reader.site.nominalVolts,
      samples,
      meters: meters(),
      events: deps.feed.events.recent(),
      cloud: services.cloudStatus(),
      csmsLink: deps.feed.csmsHistory?.since(from, MAX_POINTS) ?? null,
    });
  });
  app.get('/load.csv', (c) => {
    const { range } = queryInput(c, MonitoringQuerySchema);
    const to = deps.clock.now();
    const { samples } = deps.feed.history.since(to - RANGE_MS[range], Number.POSITIVE_INFINITY);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    const day = new Date(to).toISOString().slice(0, 10);
    c.header('Content-Disposition', `attachment; filename="ampshare-load-${range}-${day}.csv"`);
    return c.body(toCsv(LOAD_CSV_HEADER, samples.map(loadCsvRow)));
  });
  return app;
}
