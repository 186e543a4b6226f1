import { describe, expect, it } from 'vitest';
import { siteTopology } from '../../../../shared/allocation/site-topology';
import { IdealShare } from '../../../../sim/closed-loop/ideal-share';
import { PlantScenarioSchema } from '../../../../sim/closed-loop/plant-scenario';
import type { PlantTruth } from '../../../../sim/closed-loop/plant-truth';
import { dynamicPolicy, plantSite } from '../../../support/plant-sites';

const zero = [[0, 0, 0]] as const;
const truth = (buildingAmps: readonly [number, number, number]): PlantTruth => ({
  buildingAmps: [buildingAmps],
  carAmps: zero,
  inForceAmps: zero,
  offlineAmps: zero,
  offlineCarAmps: zero,
  uncuttableCarAmps: zero,
  arrivingAmps: zero,
});
const session = (ref: string, wantAmps: number, phases: number) => ({
  ref,
  drawAmps: 0,
  inForceAmps: 0,
  wantAmps,
  phases,
  drawing: true,
  online: true,
  pluggedAt: 0,
});

describe('IdealShare', () => {
  it('should share what the fuse leaves as the policy would, knowing the building load and what each car takes', () => {
    // Arrange: 40 A fuse, 10 A of building load, 2 A margin; a 1-phase car on L1 and a 3-phase car that takes 12 A
    const scenario = PlantScenarioSchema.parse({
      site: plantSite(2, { fuseAmps: 40, rotate: false }),
      policy: dynamicPolicy(40),
      durationSeconds: 60,
    });
    const ideal = new IdealShare(scenario, siteTopology(scenario.site));

    // Act
    const amps = ideal.rootAmpsAt(0, truth([10, 10, 10]), [session('CP-1/1', 32, 1), session('CP-2/1', 12, 3)]);

    // Assert: L1 has 28 A for both; the 3-phase car takes 12 A, the 1-phase car the other 16 A
    expect(amps).toEqual([28, 12, 12]);
  });
});
