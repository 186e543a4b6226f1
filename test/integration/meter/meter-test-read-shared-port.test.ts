/**
 * A test read of the serial port the agent's meter poller already uses (Modbus RTU on a socat pseudo-serial pair): the
 * port is not opened a second time. With the poller's port settings the read goes through the poller's own link; with
 * other settings it is refused, saying which meter polls the port and with what, at the fields that differ.
 */
import fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MeterTestReadAnswer } from '../../../shared/dashboard/meter-test-read-answer';
import { parseEdgeConfig } from '../../../edge/config/load-config';
import { startAgent, type RunningAgent } from '../../../edge/main';
import { meterRegisterImage } from '../../../sim/meter/meter-register-image';
import { createModbusRtuServer, type ModbusRtuServer } from '../../../sim/meter/modbus-rtu-server';
import { eventually } from '../../support/eventually';
import { dashboardSession } from '../edge/support/dashboard-session';
import { edgeConfig } from '../edge/support/edge-fixture';
import { startPtyPair, type PtyPair } from './meter-test-kit';

/** How many of this process's open files are the serial device `device` (its real path). */
function openCount(device: string): number {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === device;
    } catch {
      return false;
    }
  }).length;
}

const SERIAL = { transport: 'rtu', baudRate: 19200, parity: 'even', unitId: 7 } as const;

describe('a test read of the serial port the meter poller uses', () => {
  let pty: PtyPair;
  let server: ModbusRtuServer;
  let agent: RunningAgent;
  let dataDir: string;
  /** The most files open on the agent's side of the pair whenever the meter answered a request. */
  let mostOpen = 0;

  beforeEach(async () => {
    mostOpen = 0;
    pty = await startPtyPair();
    const device = fs.realpathSync(pty.masterPath);
    server = createModbusRtuServer({
      path: pty.meterPath,
      source: meterRegisterImage('carlo-gavazzi-em24', () => {
        mostOpen = Math.max(mostOpen, openCount(device));
        return { volts: [230, 231, 229], amps: [16, 0, 5.5], importWh: 98_700 };
      }),
      unitId: 7,
    });
    await server.start();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-shared-port-'));
    const base = edgeConfig({ chargers: 1 }, dataDir);
    const input = {
      ...base,
      site: { ...base.site, circuits: [{ id: 'main', parent: null, fuseAmps: 63, meterId: 'grid' }] },
      meters: [
        {
          meterId: 'grid',
          model: 'carlo-gavazzi-em24',
          connection: { ...SERIAL, path: pty.masterPath },
          poll: { intervalMs: 150, timeoutMs: 120, retries: 1, backoffInitialMs: 100, backoffMaxMs: 400 },
        },
      ],
      dashboard: { host: '127.0.0.1', port: 0 },
    };
    agent = await startAgent(parseEdgeConfig(input, dataDir), { logger: pino({ level: 'silent' }) });
    await eventually('the poller reads the meter', () => agent.controller.snapshot().meters.length > 0);
  });
  afterEach(async () => {
    await agent?.stop();
    await server?.stop();
    await pty?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("should read through the poller's link with the port settings in force, never opening the port again", async () => {
    // Arrange
    const page = dashboardSession(agent, 'shared-port-admin-password');
    const meter = { meterId: 'grid', model: 'carlo-gavazzi-em24', connection: { ...SERIAL, path: pty.masterPath } };

    // Act: three test reads while the poller runs
    const answers: { status: number; body: unknown }[] = [];
    for (let i = 0; i < 3; i++) answers.push(await page.api('POST', 'site/meters/test-read', { meter }));

    // Assert: each read the meter; the port was open once (the poller's) whenever the meter answered
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body as MeterTestReadAnswer).toMatchObject({ ok: true, values: { amps: [16, 0, 5.5] } });
    }
    expect(mostOpen).toBe(1);
    const reading = agent.controller.snapshot().meters.find((m) => m.meterId === 'grid');
    expect(reading).toMatchObject({ valid: true, amps: [16, 0, 5.5] });
  });

  it('should refuse a test read of the port with other port settings, at the fields that differ', async () => {
    const page = dashboardSession(agent, 'shared-port-admin-password');
    const meter = {
      meterId: 'grid',
      model: 'carlo-gavazzi-em24',
      connection: { ...SERIAL, path: pty.masterPath, baudRate: 9600, parity: 'none' },
    };

    const { status, body } = await page.api('POST', 'site/meters/test-read', { meter });

    expect(status).toBe(409);
    expect(body).toMatchObject({
      error: 'resource.conflict',
      message: expect.stringContaining('polled by meter "grid" at 19200 baud, parity even') as unknown,
    });
    expect((body as { details: { path: string }[] }).details.map((d) => d.path)).toEqual([
      'meter.connection.baudRate',
      'meter.connection.parity',
    ]);
    expect(mostOpen).toBe(1);
  });
});
