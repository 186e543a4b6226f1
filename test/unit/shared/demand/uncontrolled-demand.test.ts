/** Issue 18: the import the site would have had with the chargers uncapped, for the money peak-demand control saves. */
import { describe, expect, it } from 'vitest';
import type { Allocation, ConnectorAllocation } from '../../../../shared/allocation/allocation-types';
import { uncappedChargerWatts, uncontrolledImportWatts } from '../../../../shared/demand/uncontrolled-demand';
import { SiteSchema } from '../../../../shared/site/site-schema';
import { activeConnector } from '../../../support/allocation-builders';

const site = SiteSchema.parse({
  $schemaVersion: 1,
  id: 'site-1',
  circuits: [{ id: 'grid', parent: null, fuseAmps: 63, meterId: 'grid' }],
  chargers: [
    { id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32 },
    { id: 'CP-2', circuit: 'grid', phases: 3, maxAmps: 32, connectors: [{ id: 1, maxAmps: 16 }] },
    { id: 'CP-3', circuit: 'grid', phases: 3, maxAmps: 32 },
  ],
});

const allocation = (connectors: ConnectorAllocation[], meter: 'ok' | 'lost' = 'ok'): Allocation => ({
  at: 0,
  connectors,
  circuits: [{ id: 'grid', limitAmps: [63, 63, 63], allocatedAmps: [6, 6, 6], otherLoadAmps: [10, 10, 10], meter }],
  budget: { unit: 'A', value: 48, source: 'static' },
  totalAmps: [6, 6, 6],
});

describe('uncontrolled demand', () => {
  it('should count each car present at the most it takes: the connector, the charger or the car, whichever is lowest', () => {
    // Arrange: CP-1's car takes up to 32 A on 3 phases, CP-2's socket allows 16 A, CP-3's car was seen to take 10 A
    // on one phase; a car that finished (idle) counts nothing.
    const cars = allocation([
      activeConnector('CP-1', { amps: 6 }),
      activeConnector('CP-2', { activity: 'paused', amps: 0 }),
      activeConnector('CP-3', { phases: 1, carCapAmps: 10 }),
      { ...activeConnector('CP-3', { activity: 'idle' }), connectorId: 2 },
    ]);

    // Act
    const watts = uncappedChargerWatts(cars, site);

    // Assert
    expect(watts).toBe((32 * 3 + 16 * 3 + 10) * 230);
  });

  it("should add the grid connection's other load, and give nothing while the meter is lost", () => {
    const cars = [activeConnector('CP-1', {})];
    expect(uncontrolledImportWatts(allocation(cars), site)).toBe((30 + 96) * 230);
    expect(uncontrolledImportWatts(allocation(cars, 'lost'), site)).toBeUndefined();
  });
});
