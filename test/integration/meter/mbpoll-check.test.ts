// Debian's mbpoll (a Modbus master no one on the team wrote) reads the simulator, to prove it speaks Modbus as a meter does.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterRegisterImage, type SimulatedMeterValues } from '../../../sim/meter/meter-register-image';
import { createModbusRtuServer, type ModbusRtuServer } from '../../../sim/meter/modbus-rtu-server';
import { createModbusTcpServer, type ModbusTcpServer } from '../../../sim/meter/modbus-tcp-server';
import { startPtyPair, type PtyPair } from './meter-test-kit';

const run = promisify(execFile);
const VALUES: SimulatedMeterValues = { volts: [230.5, 231, 229.5], amps: [10, 12.5, 8], importWh: 1_234_500 };

/** One read: the unit, mbpoll's table and type (`3:float`: input registers as floats), big-endian words or not. */
interface Read {
  readonly unit: number;
  readonly type: string;
  readonly bigEndian?: boolean;
  readonly ref: number;
  readonly count: number;
}

const readArgs = ({ unit, type, bigEndian, ref, count }: Read): string[] => [
  ...['-a', String(unit), '-t', type],
  ...(bigEndian ? ['-B'] : []),
  ...['-r', String(ref), '-c', String(count)],
];

/** mbpoll's arguments for a read over Modbus TCP from a server on loopback. */
const overTcp = (port: number, read: Read): string[] => [
  '-m',
  'tcp',
  ...readArgs(read),
  '-p',
  String(port),
  '127.0.0.1',
];

/** Runs mbpoll once (-1) and returns the values it printed, by 1-based reference. */
async function mbpoll(args: string[]): Promise<Map<number, number>> {
  const { stdout } = await run('mbpoll', ['-1', '-o', '1', ...args], { timeout: 10_000 });
  const values = new Map<number, number>();
  for (const match of stdout.matchAll(/^\[(\d+)\]:\s+(\S+)/gm)) values.set(Number(match[1]), Number(match[2]));
  return values;
}

/** Runs mbpoll expecting it to fail, and returns what it printed to stderr. */
async function mbpollError(args: string[]): Promise<string> {
  try {
    await run('mbpoll', ['-1', '-o', '1', ...args], { timeout: 10_000 });
  } catch (error) {
    return String((error as { stderr?: unknown }).stderr);
  }
  throw new Error('mbpoll succeeded but should have failed');
}

describe('mbpoll against the meter simulator', () => {
  let sdm630: ModbusTcpServer;
  let em24: ModbusTcpServer;
  let rtu: ModbusRtuServer;
  let pty: PtyPair;

  beforeAll(async () => {
    sdm630 = createModbusTcpServer({ source: meterRegisterImage('eastron-sdm630', () => VALUES) });
    em24 = createModbusTcpServer({ source: meterRegisterImage('carlo-gavazzi-em24', () => VALUES), unitId: 2 });
    await Promise.all([sdm630.start(), em24.start()]);
    pty = await startPtyPair();
    rtu = createModbusRtuServer({ path: pty.meterPath, source: meterRegisterImage('eastron-sdm630', () => VALUES) });
    await rtu.start();
  });
  afterAll(async () => {
    await Promise.all([sdm630?.stop(), em24?.stop(), rtu?.stop()]);
    await pty?.close();
  });

  it('should read SDM630 volts and amps as big-endian floats over TCP (FC04, 30001-30012)', async () => {
    const values = await mbpoll(overTcp(sdm630.port, { unit: 1, type: '3:float', bigEndian: true, ref: 1, count: 6 }));

    expect(Object.fromEntries(values)).toEqual({ 1: 230.5, 3: 231, 5: 229.5, 7: 10, 9: 12.5, 11: 8 });
  });

  it('should read SDM630 total power and import energy over TCP (30053, 30073)', async () => {
    const power = await mbpoll(overTcp(sdm630.port, { unit: 1, type: '3:float', bigEndian: true, ref: 53, count: 1 }));
    const energy = await mbpoll(overTcp(sdm630.port, { unit: 1, type: '3:float', bigEndian: true, ref: 73, count: 1 }));

    expect(power.get(53)).toBeCloseTo(230.5 * 10 + 231 * 12.5 + 229.5 * 8, 1);
    expect(energy.get(73)).toBeCloseTo(1234.5, 1);
  });

  it('should read EM24 volts (x10) and amps (x1000) as low-word-first int32 at unit 2', async () => {
    const volts = await mbpoll(overTcp(em24.port, { unit: 2, type: '3:int', ref: 1, count: 3 }));
    const amps = await mbpoll(overTcp(em24.port, { unit: 2, type: '3:int', ref: 13, count: 3 }));

    expect(Object.fromEntries(volts)).toEqual({ 1: 2305, 3: 2310, 5: 2295 });
    expect(Object.fromEntries(amps)).toEqual({ 13: 10000, 15: 12500, 17: 8000 });
  });

  it('should answer an address outside the table with the illegal data address exception', async () => {
    const stderr = await mbpollError(
      overTcp(sdm630.port, { unit: 1, type: '3:float', bigEndian: true, ref: 1000, count: 2 }),
    );

    expect(stderr).toMatch(/Illegal data address/);
  });

  it('should answer holding-register reads of the SDM630 input table with the illegal function exception', async () => {
    const stderr = await mbpollError(
      overTcp(sdm630.port, { unit: 1, type: '4:float', bigEndian: true, ref: 1, count: 1 }),
    );

    expect(stderr).toMatch(/Illegal function/);
  });

  it('should read SDM630 floats over Modbus RTU on a pseudo-serial line', async () => {
    const values = await mbpoll([
      ...['-m', 'rtu', '-b', '9600', '-P', 'none'],
      ...readArgs({ unit: 1, type: '3:float', bigEndian: true, ref: 1, count: 3 }),
      pty.masterPath,
    ]);

    expect(Object.fromEntries(values)).toEqual({ 1: 230.5, 3: 231, 5: 229.5 });
  });
});
