/**
 * A car the CSMS limits to fewer phases (a charging period's `numberPhases`) is counted on those only: the current of
 * the phases it no longer draws on goes to the other cars (docs/csms.md, "CSMS limits and site limits").
 */
import { describe, expect, it } from 'vitest';
import { allocate } from '../../../../shared/allocation/allocator';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { SiteSchema } from '../../../../shared/site/site-schema';
import type { ConnectorCeiling } from '../../../../edge/control/control-ports';
import { SiteRuntime } from '../../../../edge/control/site-runtime';

const NOW = Date.parse('2026-12-01T08:00:00Z');

/** A three-phase charger A and a one-phase charger B on the second grid phase, behind one 32 A fuse. */
const SITE = SiteSchema.parse({
  $schemaVersion: 1,
  id: 's',
  circuits: [{ id: 'main', parent: null, fuseAmps: 32 }],
  chargers: [
    { id: 'A', circuit: 'main', phases: 3, maxAmps: 32 },
    { id: 'B', circuit: 'main', phases: 1, phaseRotation: 'L2L3L1', maxAmps: 32 },
  ],
});
const POLICY = PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 6, max: 63 } });

function allocationUnder(ceilingOfA: ConnectorCeiling) {
  const runtime = new SiteRuntime(SITE, 5_000, {
    ceiling: (chargerId, _connectorId, phases) =>
      chargerId === 'A' ? { ...ceilingOfA, phases: Math.min(ceilingOfA.phases, phases) as 1 | 2 | 3 } : undefined,
  });
  for (const [chargerId, transactionId] of [
    ['A', 1],
    ['B', 2],
  ] as const) {
    runtime.setLink(chargerId, 'online');
    runtime.startSession({
      transactionId,
      chargerId,
      connectorId: 1,
      idTag: undefined,
      startedAt: NOW,
      meterStartWh: 0,
      energyWh: 0,
    });
  }
  const allocation = allocate(runtime.snapshot(undefined), POLICY, NOW);
  return (chargerId: string) => allocation.connectors.find((c) => c.chargerId === chargerId);
}

describe('CSMS ceilings with fewer phases in the allocation', () => {
  it('should count a car the CSMS limits to one phase on that phase only, and give the others the rest', () => {
    const of = allocationUnder({ amps: 16, phases: 1 });

    expect(of('A')).toMatchObject({ amps: 16, phases: 1, phaseAmps: [16, 0, 0] });
    // Before, A was counted at 16 A on all three phases, and B on the second one got only the 16 A left there
    expect(of('B')).toMatchObject({ amps: 32, phaseAmps: [0, 32, 0] });
  });

  it('should count a car on all its phases when the CSMS limits the current only', () => {
    const of = allocationUnder({ amps: 16, phases: 3 });

    expect(of('A')).toMatchObject({ amps: 16, phases: 3, phaseAmps: [16, 16, 16] });
    expect(of('B')).toMatchObject({ amps: 16, phaseAmps: [0, 16, 0] });
  });
});
