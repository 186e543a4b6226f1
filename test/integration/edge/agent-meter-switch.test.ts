/**
 * The grid meter's settings as part of the site version: an installer points the grid meter at another meter (another
 * Modbus TCP server, another model) through the dashboard API, and the agent switches without a restart. The old
 * connection is no longer read, the meter counts as stale while it switches (the stale-meter fallback, never the old
 * reading against the new settings), and the readings follow the new meter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SiteInForceAnswer } from '../../../shared/dashboard/site-setup-answers';
import { SETTINGS_CHANGED } from '../../../edge/meter/meter-pollers';
import { meterRegisterImage, type SimulatedMeterModel } from '../../../sim/meter/meter-register-image';
import { createModbusTcpServer, type ModbusTcpServer } from '../../../sim/meter/modbus-tcp-server';
import type { VirtualCharger } from '../../../sim/charger/virtual-charger';
import { dashboardSession } from './support/dashboard-session';
import { startEdge, type EdgeFixture } from './support/edge-fixture';

const FALLBACK_AMPS = 16;
/** How long the switch may take before the allocation reads the new meter (well under a second on a quiet machine). */
const SWITCH_MS = 15_000;
const POLL = { intervalMs: 200, timeoutMs: 150, retries: 0, backoffInitialMs: 100, backoffMaxMs: 400 };

/** A simulated meter of `model` reading `buildingAmps` on every phase plus the cars' draw, counting the reads it answers. */
function simulatedMeter(model: SimulatedMeterModel, buildingAmps: number, cars: readonly VirtualCharger[]) {
  let reads = 0;
  const server = createModbusTcpServer({
    source: meterRegisterImage(model, () => {
      reads += 1;
      const amps = buildingAmps + cars.reduce((sum, c) => sum + c.drawAmps, 0);
      return { volts: [230, 230, 230], amps: [amps, amps, amps], importWh: 0 };
    }),
  });
  return { server, reads: () => reads };
}

describe('switching the grid meter from the dashboard, without a restart', () => {
  let edge: EdgeFixture | undefined;
  const servers: ModbusTcpServer[] = [];
  afterEach(async () => {
    await edge?.close();
    for (const server of servers.splice(0)) await server.stop();
  });

  it('should stop reading the old meter, count the meter stale while switching, and follow the new one', async () => {
    // Arrange: meter A (Eastron, 10 A of building load) in force, meter B (Carlo Gavazzi, 30 A) on another port;
    // a stale window far longer than the test, so only the switch can make the meter count as stale
    const cars: VirtualCharger[] = [];
    const a = simulatedMeter('eastron-sdm630', 10, cars);
    const b = simulatedMeter('carlo-gavazzi-em24', 30, cars);
    servers.push(a.server, b.server);
    const portA = await a.server.start();
    const portB = await b.server.start();
    edge = await startEdge({
      chargers: 1,
      meterPort: portA,
      policy: {
        control: {
          mode: 'dynamic',
          safetyMarginAmps: 3,
          staleMeter: { afterSeconds: 600, fallbackAmps: FALLBACK_AMPS },
        },
      },
    });
    const fixture = edge;
    const car = await fixture.charger('CP-1');
    cars.push(car);
    await fixture.startSession(car);
    const otherLoad = () => fixture.events.latest?.circuits[0]?.otherLoadAmps?.[0];
    await fixture.events.until('the allocation reads meter A', () => Math.abs((otherLoad() ?? 0) - 10) < 1.5);
    const page = dashboardSession(fixture.agent, 'meter-switch-admin-password');
    const before = (await page.api('GET', 'site')).body as SiteInForceAnswer;
    const switchedAt = Date.now();

    // Act: the same meter id, now meter B's model and port
    const saved = await page.api('PUT', 'site', {
      baseVersion: before.version,
      site: before.site,
      meters: [
        {
          meterId: 'grid',
          model: 'carlo-gavazzi-em24',
          connection: { transport: 'tcp', host: '127.0.0.1', port: portB },
          poll: POLL,
        },
      ],
    });
    const readsOfA = a.reads();
    const readsOfB = b.reads();
    // The new connection opens and the meter comes back before the estimate follows: on a loaded machine that took
    // more than the default 5 s once (a helper's run)
    await fixture.events.until(
      'the allocation reads meter B',
      () => Math.abs((otherLoad() ?? 0) - 30) < 1.5,
      SWITCH_MS,
    );
    await fixture.events.until('meter B read five more times', () => b.reads() >= readsOfB + 5);

    // Assert: saved as the next version with the new meter, and reported by GET /site/meters
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      version: before.version + 1,
      meters: [{ meterId: 'grid', model: 'carlo-gavazzi-em24', connection: { port: portB } }],
    });
    const listed = (await page.api('GET', 'site/meters')).body as { meters: unknown[] };
    expect(listed.meters).toEqual([expect.objectContaining({ model: 'carlo-gavazzi-em24' })]);
    // Meter A's connection is no longer read once the switch answered.
    expect(a.reads()).toBe(readsOfA);
    // While switching the meter counted as lost, for that reason, and the circuit ran on the stale-meter fallback.
    expect(fixture.events.of('meterLost', switchedAt)).toEqual([
      expect.objectContaining({ meterId: 'grid', circuitId: 'main', reason: SETTINGS_CHANGED }),
    ]);
    const during = fixture.events
      .of('allocation', switchedAt)
      .map((e) => e.allocation.circuits[0]!)
      .filter((c) => c.meter === 'lost');
    expect(during.length).toBeGreaterThan(0);
    for (const circuit of during) expect(circuit.limitAmps).toEqual([FALLBACK_AMPS, FALLBACK_AMPS, FALLBACK_AMPS]);
    expect(fixture.events.of('meterRecovered', switchedAt)).toHaveLength(1);
  });
});
