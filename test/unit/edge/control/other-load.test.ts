import { describe, expect, it } from 'vitest';
import { siteTopology } from '../../../../shared/allocation/site-topology';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { SiteSchema } from '../../../../shared/site/site-schema';
import type { PhaseAmps } from '../../../../shared/units';
import { CarPhases } from '../../../../edge/control/car-phases';
import { DrawHistory } from '../../../../edge/control/draw-history';
import { OTHER_LOAD_SETTINGS, OtherLoadEstimator } from '../../../../edge/control/other-load';
import type { RuntimeSession } from '../../../../edge/control/site-runtime';
import { dynamicPolicy, plantSite } from '../../../support/plant-sites';

const site = SiteSchema.parse(plantSite(1, { fuseAmps: 63, rotate: false }));
const policy = PolicySchema.parse(dynamicPolicy(63));

/** A car offered 16 A that has drawn 10 A per phase since it started. */
function cappedCar(): [string, RuntimeSession] {
  const history = new DrawHistory();
  history.addLimit(0, 16);
  for (let at = 10_000; at <= 40_000; at += 10_000) history.addSample(at, [10, 10, 10]);
  const session = { transactionId: 1, chargerId: 'CP-1', connectorId: 1, idTag: 'A', startedAt: 0, meterStartWh: 0, energyWh: 0, history, phases: new CarPhases() };
  return ['CP-1/1', session];
}

describe('OtherLoadEstimator', () => {
  it('should go back to the level before a rise its own car explained, not keep a smaller rise on another phase', () => {
    // Arrange: 20 A of other load for a minute, then one reading 3 A higher on L1 (the car may draw up to 16 A) and
    // 1.5 A higher on L2 (less than the noise step), then L1 back
    const estimator = new OtherLoadEstimator(siteTopology(site), { ...OTHER_LOAD_SETTINGS, carResponseMs: 5_000 });
    const sessions = [cappedCar()];
    const at = (t: number, amps: PhaseAmps) => estimator.estimate(() => ({ meterId: 'grid-meter', at: t, amps, valid: true }), sessions, policy, t);
    for (let t = 41_000; t <= 60_000; t += 1_000) at(t, [30, 30, 30]);
    const risen = at(61_000, [33, 31.5, 30]);

    // Act
    const dropped = at(62_000, [30, 31.5, 30]);

    // Assert
    expect(risen[0]!.heldAmps).toEqual([23, 20, 20]);
    expect(risen[0]!.confirmAt).toBe(63_000);
    expect(dropped[0]!.heldAmps).toEqual([20, 20, 20]);
    expect(dropped[0]!.confirmAt).toBeUndefined();
  });
});
