/**
 * The dashboard's meter "test read" in-process, against a real Modbus TCP server (sim/meter) read through modbus-serial:
 * the live values, a refused connection, an address the meter does not have, settings refused at their fields, a body
 * over the limit, and each read audited.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MeterTestReadAnswer, MetersAnswer } from '../../../../shared/dashboard/meter-test-read-answer';
import { meterRegisterImage } from '../../../../sim/meter/meter-register-image';
import { createModbusTcpServer, type ModbusTcpServer } from '../../../../sim/meter/modbus-tcp-server';
import { restartPort } from '../../../support/restart-port';
import { startHarness, type Harness } from './dashboard-harness';

describe('dashboard meter test read', () => {
  let h: Harness;
  let auth: { cookie: string; csrf: string };
  let meter: ModbusTcpServer;
  const send = async <T>(method: string, url: string, body?: unknown) => {
    const response = await h.call(method, url, { ...auth, ...(body !== undefined && { body }) });
    return { status: response.status, body: (await response.json()) as T };
  };
  const tcp = (port: number, model = 'carlo-gavazzi-em24') => ({
    meter: { meterId: 'grid', model, connection: { transport: 'tcp', host: '127.0.0.1', port } },
  });
  beforeEach(async () => {
    h = startHarness();
    auth = await h.signIn();
    meter = createModbusTcpServer({
      source: meterRegisterImage('carlo-gavazzi-em24', () => ({
        volts: [230, 231, 229],
        amps: [12.5, 8, 4],
        importWh: 1_234_500,
      })),
    });
    await meter.start();
  });
  afterEach(async () => {
    await meter.stop();
    h.close();
  });

  it('should read the meter once with the settings entered and answer its values, and audit the read', async () => {
    const { status, body } = await send<MeterTestReadAnswer>('POST', '/api/site/meters/test-read', tcp(meter.port));

    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, values: { amps: [12.5, 8, 4], importWh: 1_234_500 } });
    expect(body.ok && body.values.totalWatts).toBeCloseTo(230 * 12.5 + 231 * 8 + 229 * 4, 0);
    expect(h.logs.find((l) => l.message === 'dashboard change: meter.testRead')?.data).toMatchObject({
      audit: { action: 'meter.testRead', user: 'admin', meterId: 'grid', outcome: 'read' },
    });
  });

  it('should answer a refused connection as a connect fault with the driver message', async () => {
    const { status, body } = await send<MeterTestReadAnswer>(
      'POST',
      '/api/site/meters/test-read',
      tcp(await restartPort()),
    );

    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: false, stage: 'connect', kind: 'closed' });
    expect(!body.ok && body.message).toContain('ECONNREFUSED');
  });

  it('should answer an address the meter does not have as the Modbus exception of the read', async () => {
    const { body } = await send<MeterTestReadAnswer>(
      'POST',
      '/api/site/meters/test-read',
      tcp(meter.port, 'siemens-pac2200'),
    );

    expect(body).toMatchObject({ ok: false, stage: 'read', kind: 'exception' });
    expect(!body.ok && body.message).toMatch(/Illegal data address/i);
  });

  it('should refuse bad settings at their fields, and a body over the limit, without reading', async () => {
    const bad = await send<{ details: { path: string }[] }>('POST', '/api/site/meters/test-read', {
      meter: { meterId: 'grid', model: 'nope', connection: { transport: 'tcp', host: '', port: 70_000 } },
    });
    const huge = await send<{ error: string }>('POST', '/api/site/meters/test-read', {
      meter: { meterId: 'grid', model: 'eastron-sdm630', connection: { transport: 'rtu', path: 'x'.repeat(40_000) } },
    });

    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d) => d.path).sort()).toEqual([
      'meter.connection.host',
      'meter.connection.port',
      'meter.model',
    ]);
    expect(huge.status).toBe(413);
    expect(h.logs.some((l) => l.message === 'dashboard change: meter.testRead')).toBe(false);
  });

  it('should list the models it knows and the meters it reads', async () => {
    const { body } = await send<MetersAnswer>('GET', '/api/site/meters');

    expect(body.models).toContain('eastron-sdm630');
    expect(body.meters).toEqual([]);
  });
});
