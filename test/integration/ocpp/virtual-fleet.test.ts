import { afterAll, describe, expect, it } from 'vitest';
import { PHASE_ROTATIONS } from '../../../shared/units';
import { ManualClock } from '../../../sim/charger/sim-clock';
import { DEFAULT_CAR } from '../../../sim/charger/virtual-car';
import { DEFAULT_CHARGER, VirtualCharger, type VirtualChargerSpec } from '../../../sim/charger/virtual-charger';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';

const COUNT = 40;
const PASSWORD = 'fleet-password';

describe('a fleet of virtual chargers', () => {
  const clock = new ManualClock();
  let fixture: Fixture | undefined;
  let chargers: VirtualCharger[] = [];

  afterAll(async () => {
    await Promise.all(chargers.map((c) => c.close()));
    await fixture?.close();
  });

  it('should connect mixed 1- and 3-phase chargers, start unique transactions and report per-phase meter values', async () => {
    // Arrange
    const specs: VirtualChargerSpec[] = Array.from({ length: COUNT }, (_, i) => ({
      ...DEFAULT_CHARGER,
      id: `FLEET-${i}`,
      password: PASSWORD,
      phases: i % 4 === 0 ? 1 : 3,
      maxAmps: [16, 32, 25][i % 3]!,
      phaseRotation: PHASE_ROTATIONS[i % PHASE_ROTATIONS.length]!,
    }));
    fixture = await startCentralSystem(
      specs.map((s) => ({ id: s.id, password: PASSWORD, phases: s.phases, maxAmps: s.maxAmps })),
      {},
      () => clock.now(),
    );
    chargers = specs.map((s) => new VirtualCharger(s, fixture!.cs.url, clock));

    // Act
    await Promise.all(chargers.map((c) => c.connect()));
    await Promise.all(chargers.map((c) => fixture!.events.waitFor('configured', (e) => e.chargerId === c.spec.id)));
    await Promise.all(chargers.map((c, i) => c.plugIn({ ...DEFAULT_CAR, phases: i % 5 === 0 ? 1 : 3, maxAmps: 16 })));
    const ids = await Promise.all(chargers.map((c) => c.authorizeAndStart('TAG-3')));
    clock.advance(10_000);
    await Promise.all(chargers.map((c) => fixture!.events.waitFor('meterValues', (e) => e.chargerId === c.spec.id)));

    // Assert
    expect(new Set(ids).size).toBe(COUNT);
    expect(fixture.cs.connectedChargers()).toHaveLength(COUNT);
    for (const [i, charger] of chargers.entries()) {
      const amps = fixture.events.of('meterValues', charger.spec.id)[0]!.sample.measurement!.amps;
      const onePhase = charger.spec.phases === 1 || i % 5 === 0;
      expect(amps).toEqual(onePhase ? [6, 0, 0] : [6, 6, 6]);
      expect(charger.configuration('ConnectorPhaseRotation')).toMatch(/^0\.[RST]{3},1\.[RST]{3}$/);
    }
  });
});
