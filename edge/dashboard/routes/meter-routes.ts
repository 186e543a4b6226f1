/**
 * The site's meters on the dashboard: the meters the agent reads, and a "test read" of one with the settings being
 * entered (not saved): the same schema as the site file's `meters[]`, a small body, one read at a time.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { MetersAnswer, MeterTestReadAnswer } from '../../../shared/dashboard/meter-test-read-answer';
import { AppError } from '../../../shared/errors';
import { MeterConfigSchema, type MeterConfig } from '../../meter/meter-config';
import type { DashboardServices } from '../dashboard-services';
import type { SiteSetupHandle } from '../dashboard-ports';
import { limitBody } from '../http/body-limit';
import type { DashboardEnv } from '../http/dashboard-env';
import { jsonBody } from '../http/json-input';

/** A meter's settings with a custom register map are a few kilobytes. */
export const TEST_READ_MAX_BODY_BYTES = 32 * 1024;

const TestReadRequestSchema = z.object({ meter: MeterConfigSchema }).strict();

const connectionView = (connection: MeterConfig['connection']) =>
  connection.transport === 'tcp'
    ? { transport: 'tcp' as const, host: connection.host, port: connection.port, unitId: connection.unitId }
    : {
        transport: 'rtu' as const,
        path: connection.path,
        baudRate: connection.baudRate,
        parity: connection.parity,
        unitId: connection.unitId,
      };

export function meterRoutes(services: DashboardServices, meters: SiteSetupHandle['meters']) {
  const { audit } = services;
  // A serial port takes one client, and a meter on a gateway answers one request at a time.
  let reading = false;
  const app = new Hono<DashboardEnv>();
  app.get('/site/meters', (c) =>
    c.json<MetersAnswer>({
      models: [...meters.models],
      meters: meters
        .list()
        .map((m) => ({ meterId: m.meterId, model: m.model, connection: connectionView(m.connection) })),
    }),
  );
  app.post('/site/meters/test-read', limitBody(TEST_READ_MAX_BODY_BYTES), async (c) => {
    const { meter } = await jsonBody(c, TestReadRequestSchema, 'meter test read');
    if (reading) throw new AppError('resource.conflict', 'a test read is running: wait for its answer');
    reading = true;
    try {
      const answer = await meters.testRead(meter);
      audit.change(c, 'meter.testRead', {
        meterId: meter.meterId,
        connection: connectionView(meter.connection),
        outcome: answer.ok ? 'read' : `${answer.stage}: ${answer.kind}`,
      });
      return c.json<MeterTestReadAnswer>(answer);
    } finally {
      reading = false;
    }
  });
  return app;
}
