import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGridMeter } from '../../../../edge/meter/grid-meter';
import { MeterConfigSchema, type MeterConfig } from '../../../../edge/meter/meter-config';
import { MeterPollers } from '../../../../edge/meter/meter-pollers';
import type { ModbusResult, ModbusTransport } from '../../../../edge/meter/modbus-transport';
import type { SharedLink } from '../../../../edge/meter/serial-port-share';
import type { MessageRef } from '../../../../shared/server-messages';

/** A meter link where nothing listens: every open is refused. */
function refusingLink(): ModbusTransport & SharedLink {
  const refused: ModbusResult<never> = {
    ok: false,
    fault: { kind: 'closed', message: 'connect ECONNREFUSED', refused: true },
  };
  return {
    isOpen: false,
    open: () => Promise.resolve(refused),
    read: () => Promise.resolve(refused),
    readAs: () => Promise.resolve(refused),
    close: () => Promise.resolve(),
  };
}

const meterOn = (port: number): MeterConfig =>
  MeterConfigSchema.parse({
    meterId: 'grid',
    model: 'eastron-sdm630',
    connection: { transport: 'tcp', host: '127.0.0.1', port },
    poll: { intervalMs: 1000, timeoutMs: 500, retries: 0, backoffInitialMs: 1000, backoffMaxMs: 4000 },
  });

describe('MeterPollers.fault', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const pollers = () =>
    new MeterPollers(
      {
        create: (config) => {
          const link = refusingLink();
          return { meter: createGridMeter(config, { transport: link, now: () => Date.now() }), link };
        },
        onSample: () => {},
        forget: () => {},
      },
      [meterOn(502)],
    );

  it('should say why a polled meter reads nothing valid, and nothing for a meter never polled', async () => {
    // Arrange
    const meters = pollers();
    expect(meters.fault('grid')).toBeUndefined();

    // Act
    meters.start();
    await vi.advanceTimersByTimeAsync(0);

    // Assert
    expect(meters.fault('grid')).toEqual({ reason: 'meterFault.connectRefused', params: { seconds: 1 } });
    expect(meters.fault('other')).toBeUndefined();
    await meters.stop();
  });

  it('should say that the settings changed while a meter is switched, then why its new poll failed', async () => {
    // Arrange
    const meters = pollers();
    meters.start();
    await vi.advanceTimersByTimeAsync(0);
    let whileSwitching: MessageRef | undefined;

    // Act
    await meters.switchTo([meterOn(503)], () => {
      whileSwitching = meters.fault('grid');
      return Promise.resolve();
    });
    await vi.advanceTimersByTimeAsync(0);

    // Assert
    expect(whileSwitching).toEqual({ reason: 'meterFault.settingsChanged' });
    expect(meters.fault('grid')).toEqual({ reason: 'meterFault.connectRefused', params: { seconds: 1 } });
    await meters.stop();
  });
});
