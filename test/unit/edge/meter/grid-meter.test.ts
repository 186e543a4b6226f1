import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGridMeter } from '../../../../edge/meter/grid-meter';
import { toMeterReading, type GridMeterSample } from '../../../../edge/meter/grid-meter-sample';
import { MeterConfigSchema } from '../../../../edge/meter/meter-config';
import type { ModbusFault, ModbusResult, ModbusTransport } from '../../../../edge/meter/modbus-transport';
import { englishMessage, type MessageRef } from '../../../../shared/server-messages';

// SDM630 words for 230 V, 10/11/12 A, 2300/2530/2760 W, 7590 W, 1000 kWh on every poll.
const SDM630_IMAGE = new Map<number, number>([
  [0x00, 0x4366],
  [0x02, 0x4366],
  [0x04, 0x4366],
  [0x06, 0x4120],
  [0x08, 0x4130],
  [0x0a, 0x4140],
  [0x0c, 0x450f],
  [0x0d, 0xc000],
  [0x0e, 0x451e],
  [0x0f, 0x2000],
  [0x10, 0x452c],
  [0x11, 0x8000],
  [0x34, 0x45ed],
  [0x35, 0x3000],
  [0x48, 0x447a],
]);

/** A transport whose meter can be healthy, silent, or answer with an exception. */
class FakeTransport implements ModbusTransport {
  mode: 'ok' | 'silent' | 'exception' | 'refuse' = 'ok';
  /** Words that replace the image's, e.g. to change one current. */
  readonly overrides = new Map<number, number>();
  opens = 0;
  reads = 0;
  closes = 0;
  private open_ = false;
  get isOpen(): boolean {
    return this.open_;
  }
  open(): Promise<ModbusResult<void>> {
    this.opens += 1;
    if (this.mode === 'refuse')
      return Promise.resolve(fail({ kind: 'closed', message: 'connect ECONNREFUSED', refused: true }));
    this.open_ = true;
    return Promise.resolve({ ok: true, value: undefined });
  }
  read(_fc: 3 | 4, address: number, count: number): Promise<ModbusResult<readonly number[]>> {
    this.reads += 1;
    if (this.mode === 'silent' || this.mode === 'refuse')
      return Promise.resolve(fail({ kind: 'timeout', message: 'no answer' }));
    if (this.mode === 'exception')
      return Promise.resolve(
        fail({ kind: 'exception', message: 'Modbus exception 2: Illegal data address', exceptionCode: 2 }),
      );
    return Promise.resolve({
      ok: true,
      value: Array.from(
        { length: count },
        (_, i) => this.overrides.get(address + i) ?? SDM630_IMAGE.get(address + i) ?? 0,
      ),
    });
  }
  close(): Promise<void> {
    this.closes += 1;
    this.open_ = false;
    return Promise.resolve();
  }
}

function fail(fault: ModbusFault): ModbusResult<never> {
  return { ok: false, fault };
}

const config = MeterConfigSchema.parse({
  meterId: 'grid',
  model: 'eastron-sdm630',
  connection: { transport: 'tcp', host: '127.0.0.1' },
  poll: { intervalMs: 1000, timeoutMs: 500, retries: 2, backoffInitialMs: 1000, backoffMaxMs: 4000 },
});

describe('createGridMeter', () => {
  let transport: FakeTransport;
  let samples: GridMeterSample[];

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    transport = new FakeTransport();
    samples = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const lastFault = (): MessageRef | undefined => {
    const last = samples.at(-1);
    return last?.valid === false ? last.fault : undefined;
  };

  const startMeter = () => {
    const meter = createGridMeter(config, { transport, now: () => Date.now() });
    meter.subscribe((s) => samples.push(s));
    meter.start();
    return meter;
  };

  it('should emit one valid sample per poll interval, with one read for the SDM630', async () => {
    const meter = startMeter();

    await vi.advanceTimersByTimeAsync(3000);
    await meter.stop();

    expect(samples.map((s) => s.valid)).toEqual([true, true, true, true]);
    expect(samples.map((s) => s.at - samples[0]!.at)).toEqual([0, 1000, 2000, 3000]);
    expect(transport.reads).toBe(4);
    expect(samples[0]).toMatchObject({
      meterId: 'grid',
      values: { volts: [230, 230, 230], amps: [10, 11, 12], totalWatts: 7590, importWh: 1_000_000 },
    });
    expect(toMeterReading(samples[0]!)).toEqual({
      meterId: 'grid',
      at: 1_700_000_000_000,
      amps: [10, 11, 12],
      valid: true,
    });
  });

  it('should turn a silent meter into invalid samples, back off while reconnecting, and recover', async () => {
    const meter = startMeter();
    await vi.advanceTimersByTimeAsync(0);
    transport.mode = 'silent';

    await vi.advanceTimersByTimeAsync(1000);
    expect(lastFault()).toEqual({ reason: 'meterFault.timeout', params: { count: 74, address: 0, seconds: 1 } });
    expect(transport.reads).toBe(1 + 3);
    expect(transport.isOpen).toBe(false);

    transport.mode = 'refuse';
    await vi.advanceTimersByTimeAsync(1000);
    expect(lastFault()).toEqual({ reason: 'meterFault.connectRefused', params: { seconds: 2 } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(lastFault()).toEqual({ reason: 'meterFault.disconnected', params: { seconds: 1 } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(lastFault()).toEqual({ reason: 'meterFault.connectRefused', params: { seconds: 4 } });

    transport.mode = 'ok';
    await vi.advanceTimersByTimeAsync(4000);
    await meter.stop();

    expect(samples.at(-1)).toMatchObject({ valid: true });
    expect(transport.opens).toBe(4);
  });

  it('should report a Modbus exception as invalid without dropping the link', async () => {
    transport.mode = 'exception';
    const meter = startMeter();

    await vi.advanceTimersByTimeAsync(1000);
    await meter.stop();

    expect(samples).toHaveLength(2);
    expect(samples[0]).toMatchObject({
      valid: false,
      fault: { reason: 'meterFault.exception', params: { count: 74, address: 0, code: 2 } },
    });
    expect(transport.opens).toBe(1);
    expect(transport.reads).toBe(2);
  });

  it('should reject a one-poll current glitch, take the next normal poll, and accept a step the next poll confirms', async () => {
    const meter = startMeter();
    await vi.advanceTimersByTimeAsync(0);

    transport.overrides.set(0x06, 0x43c8); // L1 400 A for one poll
    await vi.advanceTimersByTimeAsync(1000);
    transport.overrides.clear();
    await vi.advanceTimersByTimeAsync(1000);
    transport.overrides.set(0x06, 0x43c8); // and now for good
    await vi.advanceTimersByTimeAsync(2000);
    await meter.stop();

    expect(samples.map((s) => s.valid)).toEqual([true, false, true, false, true]);
    expect(samples[1]).toMatchObject({ valid: false, fault: { reason: 'meterFault.jumped' } });
    expect(samples[1]?.valid === false && englishMessage(samples[1].fault)).toBe(
      'L1 amps jumped by 390 since the last poll (limit 250)',
    );
    expect(samples[4]).toMatchObject({ valid: true, values: { amps: [400, 11, 12] } });
  });

  it('should keep polling when a listener throws', async () => {
    const warn = vi.fn();
    const withLog = createGridMeter(config, { transport, log: { info: vi.fn(), warn } });
    withLog.subscribe(() => {
      throw new Error('listener bug');
    });
    withLog.subscribe((s) => samples.push(s));
    withLog.start();

    await vi.advanceTimersByTimeAsync(2000);
    await withLog.stop();

    expect(samples).toHaveLength(3);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ meterId: 'grid' }), 'meter listener threw');
  });

  it('should stop polling and close the link on stop', async () => {
    const meter = startMeter();
    await vi.advanceTimersByTimeAsync(0);

    await meter.stop();
    await vi.advanceTimersByTimeAsync(5000);

    expect(samples).toHaveLength(1);
    expect(transport.isOpen).toBe(false);
    expect(meter.latest()).toBe(samples[0]);
  });

  it('should carry an invalid sample into the shared reading as zero amps and not valid', () => {
    expect(
      toMeterReading({
        meterId: 'grid',
        at: 5,
        valid: false,
        fault: { reason: 'meterFault.disconnected', params: { seconds: 1 } },
      }),
    ).toEqual({
      meterId: 'grid',
      at: 5,
      amps: [0, 0, 0],
      valid: false,
    });
  });
});
