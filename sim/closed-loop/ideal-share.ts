/**
 * What the same policy would hand out if it knew the truth at once: the allocator run on the plant's real building load
 * and on the cars drawing now, each connector capped at what its car takes. The energy the real loop delivers is scored
 * against it, so the figure tells what timing and estimation cost, not what the policy chose (equal shares leave a
 * phase idle when the 1-phase cars sit on the others, which no controller of that policy can use).
 */
import { createAllocator } from '../../shared/allocation/allocator';
import type { SiteTopology } from '../../shared/allocation/site-topology';
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { Site } from '../../shared/site/site-schema';
import type { ConnectorState } from '../../shared/site/site-state';
import type { PhaseAmps } from '../../shared/units';
import type { PlantScenario } from './plant-scenario';
import type { PlantTruth } from './plant-truth';

/** A session as the scorer sees it (the plant's view). */
export interface SessionView {
  readonly ref: string;
  readonly drawAmps: number;
  readonly inForceAmps: number;
  readonly wantAmps: number;
  readonly phases: number;
  readonly drawing: boolean;
  readonly online: boolean;
  /** Epoch ms of plug-in. */
  readonly pluggedAt: number;
}

export class IdealShare {
  private readonly allocate = createAllocator();
  private key = '';
  private rootAmps: PhaseAmps = [0, 0, 0];

  constructor(
    private readonly scenario: PlantScenario,
    private readonly topology: SiteTopology,
  ) {}

  /** Per grid phase at the grid connection: what the online cars drawing now would get with perfect knowledge. */
  rootAmpsAt(at: number, truth: PlantTruth, sessions: readonly SessionView[]): PhaseAmps {
    const drawing = sessions.filter((s) => s.online && s.drawing);
    // Offline chargers' cars are other load to any controller: they count with the building.
    const other = truth.buildingAmps.map((b, c) => [0, 1, 2].map((p) => b[p as 0] + truth.offlineCarAmps[c]![p as 0]));
    const key = `${drawing.map((s) => `${s.ref}:${s.wantAmps}:${s.phases}`).join(',')}|${other.flat().join(',')}`;
    if (key !== this.key) {
      this.key = key;
      this.rootAmps = this.compute(at, other, drawing);
    }
    return this.rootAmps;
  }

  private compute(at: number, other: readonly number[][], drawing: readonly SessionView[]): PhaseAmps {
    const want = new Map(drawing.map((s) => [s.ref, s.wantAmps]));
    const site: Site = {
      ...this.scenario.site,
      chargers: this.scenario.site.chargers.map((charger) => ({
        ...charger,
        connectors: charger.connectors.map((c) => {
          const amps = want.get(formatConnectorRef(charger.id, c.id));
          return amps === undefined ? c : { ...c, maxAmps: Math.min(amps, c.maxAmps ?? charger.maxAmps) };
        }),
      })),
    };
    const connectors: ConnectorState[] = drawing.map((s) => ({
      ref: s.ref,
      status: 'Charging',
      link: 'online',
      session: { id: s.ref, startedAt: at, energyWh: 0, carPhases: s.phases as 1 | 2 | 3 },
    }));
    const meters = this.topology.meterIds.flatMap((meterId, c) =>
      meterId === undefined ? [] : [{ meterId, amps: other[c] as unknown as PhaseAmps, at, valid: true }],
    );
    const allocation = this.allocate({ site, connectors, meters }, this.scenario.policy, at);
    return allocation.circuits[this.topology.rootIndex]!.allocatedAmps;
  }
}
