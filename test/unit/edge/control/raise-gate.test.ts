import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Allocation, ConnectorAllocation } from '../../../../shared/allocation/allocation-types';
import { siteTopology } from '../../../../shared/allocation/site-topology';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { gateRaises } from '../../../../edge/control/raise-gate';
import type { PhaseAmps } from '../../../../shared/units';
import { activeConnector } from '../../../support/allocation-builders';
import { plantSite } from '../../../support/plant-sites';

const topology = siteTopology(SiteSchema.parse(plantSite(2, { fuseAmps: 63, rotate: false })));

function allocation(amps: number): Allocation {
  const connector = (n: number): ConnectorAllocation =>
    activeConnector(`CP-${n}`, { amps, phaseAmps: [amps, amps, amps] });

  return {
    at: 0,
    connectors: [connector(1), connector(2)],
    circuits: [],
    budget: { unit: 'A', value: 63, source: 'static' },
    totalAmps: [2 * amps, 2 * amps, 2 * amps],
  };
}

/** Both cars move from `fromAmps` (what their chargers enforce, and all their cars may draw) to `toAmps`, with `roomAmps` on every phase. */
function gateBoth(fromAmps: number, toAmps: number, roomAmps: number): Allocation {
  return gateRaises(allocation(toAmps), {
    topology,
    previous: allocation(fromAmps),
    now: 1_000,
    stepAmps: 0.1,
    wholeBelowAmps: 1,
    maxImbalanceAmps: null,
    holding: () => ({ enforcedAmps: fromAmps, mayDrawAmps: fromAmps }),
    room: [[roomAmps, roomAmps, roomAmps]],
  });
}

describe('gateRaises', () => {
  it('should raise as far as the room allows when a raise is short by less than a step, not hold it back entirely', () => {
    // Arrange: two cars at 10 A, the allocation wants 16 A each; the safe room leaves 11.5 A for 12 A of raises
    // Act
    const gated = gateBoth(10, 16, 31.5);

    // Assert: 15.7 A each (within the hysteresis band of 16 A), where holding every raise a whole step back gave 15 A
    expect(gated.connectors.map((c) => [c.amps, c.boundBy])).toEqual([
      [15.7, 'raiseGate'],
      [15.7, 'raiseGate'],
    ]);
  });

  it('should send a raise smaller than the hysteresis step whole or not at all, not a tenth of an ampere at a time', () => {
    // Arrange: two cars at 9.7 A whose share is 10 A (the rest of a raise the gate held back); the safe room has 0.2 A
    // free beside them, as a sample's noise opens it at a steady load
    // Act
    const short = gateBoth(9.7, 10, 19.6);
    const room = gateBoth(9.7, 10, 20);

    // Assert: before, 9.8 A each, and the next sample's noise gave the next tenth: a limit change each time
    expect(short.connectors.map((c) => [c.amps, c.boundBy])).toEqual([
      [9.7, 'raiseGate'],
      [9.7, 'raiseGate'],
    ]);
    expect(room.connectors.map((c) => c.amps)).toEqual([10, 10]);
  });

  it('should let every raise through that fits, and a cut always', () => {
    // Act
    const raised = gateBoth(10, 16, 40);
    const cut = gateBoth(10, 6, 0);

    // Assert
    expect(raised.connectors.map((c) => c.amps)).toEqual([16, 16]);
    expect(cut.connectors.map((c) => c.amps)).toEqual([6, 6]);
  });

  it('should start the cars waiting for room one at a time at their minimum, not keep them all at 0 until room for every one is proven (found at 500 chargers)', () => {
    // Arrange: two cars that just plugged in (nothing in force), each allocated 16 A; the safe room has 10 A: shared
    // out in proportion that is 5 A each, under the 6 A minimum, so neither started until 12 A were free (a burst of
    // arrivals at 500 chargers kept 133 cars at 0 for 12 s while the others' cuts made room a few amperes at a time)
    // Act
    const gated = gateBoth(0, 16, 10);

    // Assert: one car starts with all the room (its minimum, then what is left of the room), the other waits
    expect(gated.connectors.map((c) => [c.amps, c.activity])).toEqual([
      [10, 'active'],
      [0, 'paused'],
    ]);
  });

  it('should give a car waiting at 0 its minimum before the others their raises, where sharing in proportion would leave it under its minimum', () => {
    // Arrange: CP-1 at 10 A is allocated 16 A; CP-2 waits at 0 and is allocated 8 A; 8 A of room: in proportion, CP-2
    // would get 4.6 A (under its 6 A minimum, so 0) and 4.6 A of the room would go unused
    const previous = { ...allocation(0), connectors: [allocation(10).connectors[0]!, allocation(0).connectors[1]!] };
    const target = { ...allocation(0), connectors: [allocation(16).connectors[0]!, allocation(8).connectors[1]!] };

    // Act
    const gated = gateRaises(target, {
      topology,
      previous,
      now: 1_000,
      stepAmps: 0.1,
      wholeBelowAmps: 1,
      maxImbalanceAmps: null,
      holding: (i) => (i === 0 ? { enforcedAmps: 10, mayDrawAmps: 10 } : { enforcedAmps: 0, mayDrawAmps: 0 }),
      room: [[18, 18, 18]],
    });

    // Assert: CP-2 starts at 6 A; the 2 A left go in proportion to what each still wants (6 A and 2 A)
    expect(gated.connectors.map((c) => c.amps)).toEqual([11.5, 6.5]);
  });

  it('should never hand out more than is free on a phase, nor raise anything where nothing is free (property)', () => {
    const connectorArb = fc.record({
      phases: fc.constantFrom(1 as const, 3 as const),
      target: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 60, max: 320 }).map((t) => t / 10),
      ),
      enforced: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 0, max: 320 }).map((t) => t / 10),
      ),
      following: fc.integer({ min: 0, max: 100 }).map((t) => t / 10),
      wasPaused: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(connectorArb, { minLength: 1, maxLength: 12 }),
        fc.tuple(
          fc.integer({ min: 0, max: 2_000 }),
          fc.integer({ min: 0, max: 2_000 }),
          fc.integer({ min: 0, max: 2_000 }),
        ),
        (cars, roomTenths) => {
          const site = plantSite(cars.length, { fuseAmps: 400 });
          const chargers = site.chargers.map((c, i) => ({ ...c, phases: cars[i]!.phases }));
          const topo = siteTopology(SiteSchema.parse({ ...site, chargers }));
          const allocationOf = (ampsOf: (i: number) => number, paused: (i: number) => boolean): Allocation => ({
            ...allocation(0),
            connectors: cars.map((car, i) => ({
              ...allocation(0).connectors[0]!,
              ref: `CP-${i + 1}/1`,
              chargerId: `CP-${i + 1}`,
              amps: ampsOf(i),
              phases: car.phases,
              activity: paused(i) ? 'paused' : 'active',
              since: i * 100,
            })),
          });
          const holding = (i: number) => ({
            enforcedAmps: cars[i]!.enforced,
            mayDrawAmps: cars[i]!.enforced + cars[i]!.following,
          });
          const room = roomTenths.map((t) => t / 10) as unknown as PhaseAmps;
          const gated = gateRaises(
            allocationOf(
              (i) => cars[i]!.target,
              () => false,
            ),
            {
              topology: topo,
              previous: allocationOf(
                (i) => cars[i]!.enforced,
                (i) => cars[i]!.wasPaused,
              ),
              now: 10_000,
              stepAmps: 0.1,
              wholeBelowAmps: 1,
              maxImbalanceAmps: null,
              holding,
              room: [room],
            },
          );
          for (let p = 0; p < 3; p++) {
            let held = 0;
            let raised = 0;
            cars.forEach((car, i) => {
              const gridPhases = topo.chargers[topo.connectors[i]!.chargerIndex]!.gridPhases.slice(0, car.phases);
              if (!gridPhases.includes(p as 0)) return;
              const base = Math.min(car.target, car.enforced);
              held += Math.max(holding(i).mayDrawAmps, base);
              raised += Math.max(0, gated.connectors[i]!.amps - base);
            });
            if (held <= room[p as 0]) expect(held + raised).toBeLessThanOrEqual(room[p as 0] + 1e-6);
            else expect(raised).toBe(0);
          }
        },
      ),
      { numRuns: 500, seed: 11 },
    );
  });
});
