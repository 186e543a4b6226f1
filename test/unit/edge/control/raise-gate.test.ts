import { describe, expect, it } from 'vitest';
import type { Allocation, ConnectorAllocation } from '../../../../shared/allocation/allocation-types';
import { siteTopology } from '../../../../shared/allocation/site-topology';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { gateRaises } from '../../../../edge/control/raise-gate';
import { plantSite } from '../../../support/plant-sites';

const topology = siteTopology(SiteSchema.parse(plantSite(2, { fuseAmps: 63, rotate: false })));

function allocation(amps: number): Allocation {
  const connector = (n: number): ConnectorAllocation => ({
    ref: `CP-${n}/1`,
    chargerId: `CP-${n}`,
    connectorId: 1,
    amps,
    phaseAmps: [amps, amps, amps],
    phases: 3,
    activity: 'active',
    since: 0,
    changedAt: 0,
    reason: 'fairShare',
    vip: false,
    priority: 0,
  });
  return {
    at: 0,
    connectors: [connector(1), connector(2)],
    circuits: [],
    budget: { unit: 'A', value: 63, source: 'static' },
    totalAmps: [2 * amps, 2 * amps, 2 * amps],
  };
}

describe('gateRaises', () => {
  it('should raise as far as the room allows when a raise is short by less than a step, not hold it back entirely', () => {
    // Arrange: two cars at 10 A, the allocation wants 16 A each; the safe room leaves 11.5 A for 12 A of raises
    const previous = allocation(10);

    // Act
    const gated = gateRaises(allocation(16), {
      topology,
      previous,
      now: 1_000,
      stepAmps: 0.1,
      holding: () => ({ enforcedAmps: 10, mayDrawAmps: 10 }),
      room: [[31.5, 31.5, 31.5]],
    });

    // Assert: 15.7 A each (within the hysteresis band of 16 A), where holding every raise a whole step back gave 15 A
    expect(gated.connectors.map((c) => [c.amps, c.boundBy])).toEqual([
      [15.7, 'raiseGate'],
      [15.7, 'raiseGate'],
    ]);
  });

  it('should let every raise through that fits, and a cut always', () => {
    // Arrange
    const previous = allocation(10);

    // Act
    const raised = gateRaises(allocation(16), {
      topology,
      previous,
      now: 1_000,
      stepAmps: 0.1,
      holding: () => ({ enforcedAmps: 10, mayDrawAmps: 10 }),
      room: [[40, 40, 40]],
    });
    const cut = gateRaises(allocation(6), {
      topology,
      previous,
      now: 1_000,
      stepAmps: 0.1,
      holding: () => ({ enforcedAmps: 10, mayDrawAmps: 10 }),
      room: [[0, 0, 0]],
    });

    // Assert
    expect(raised.connectors.map((c) => c.amps)).toEqual([16, 16]);
    expect(cut.connectors.map((c) => c.amps)).toEqual([6, 6]);
  });
});
