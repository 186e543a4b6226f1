/** The constraint layout of a site: which limits (circuit fuses, charger limits) each connector is under. */
import { formatConnectorRef } from '../site/connector-ref';
import type { Site } from '../site/site-schema';
import { gridPhasesOf, type PhaseIndex } from '../units';
import { addAt, f64 } from './typed-access';

/** One connector of the site, with what the allocator needs from its configuration. */
export interface TopologyConnector {
  readonly ref: string;
  readonly chargerId: string;
  readonly connectorId: number;
  readonly chargerIndex: number;
  readonly maxAmps: number;
  readonly minAmps: number;
  readonly priority: number;
  readonly vip: boolean;
}

export interface TopologyCharger {
  readonly id: string;
  readonly phases: 1 | 3;
  /** Grid phase of the charger's L1, L2, L3. */
  readonly gridPhases: readonly [PhaseIndex, PhaseIndex, PhaseIndex];
  /** Circuit indices from the charger's own circuit up to the grid connection. */
  readonly circuitPath: readonly number[];
  /** Index of the charger's own limit node, for chargers with several connectors (-1 otherwise). */
  readonly node: number;
  readonly maxAmps: number;
}

export interface SiteTopology {
  readonly circuitIds: readonly string[];
  readonly circuitIndex: ReadonlyMap<string, number>;
  /** Index of the grid connection (the root circuit). */
  readonly rootIndex: number;
  /** Parent of each circuit (-1 for the grid connection). */
  readonly parentIndex: readonly number[];
  /** Circuit indices ordered so that every circuit comes before its parent. */
  readonly childrenFirst: readonly number[];
  /** Each charger's own circuit, by charger index. */
  readonly circuitOfCharger: Int32Array;
  /** Each connector's charger index, by connector index. */
  readonly chargerOfConnector: Int32Array;
  readonly fuseAmps: readonly (readonly [number, number, number])[];
  readonly meterIds: readonly (string | undefined)[];
  readonly chargers: readonly TopologyCharger[];
  readonly connectors: readonly TopologyConnector[];
  readonly connectorIndex: ReadonlyMap<string, number>;
  /** Charger id of each limit node, by node index. */
  readonly nodeChargerIds: readonly string[];
}

/** Builds the topology of a site (an allocator keeps it while it is handed the same site object). */
export function siteTopology(site: Site): SiteTopology {
  const circuitIndex = new Map(site.circuits.map((c, i) => [c.id, i]));
  const parents = site.circuits.map((c) => (c.parent === null ? -1 : (circuitIndex.get(c.parent) ?? -1)));
  const pathOf = (start: number): number[] => {
    const path: number[] = [];
    for (let c = start; c >= 0; c = parents[c] ?? -1) path.push(c);
    return path;
  };
  const connectors: TopologyConnector[] = [];
  const nodeChargerIds: string[] = [];
  const chargers = site.chargers.map((charger, chargerIndex): TopologyCharger => {
    const node = charger.connectors.length > 1 ? nodeChargerIds.push(charger.id) - 1 : -1;
    for (const connector of charger.connectors) {
      connectors.push({
        ref: formatConnectorRef(charger.id, connector.id),
        chargerId: charger.id,
        connectorId: connector.id,
        chargerIndex,
        maxAmps: Math.min(connector.maxAmps ?? charger.maxAmps, charger.maxAmps),
        minAmps: connector.minAmps ?? charger.minAmps,
        priority: connector.priority ?? charger.priority,
        vip: connector.vip ?? charger.vip,
      });
    }
    return {
      id: charger.id,
      phases: charger.phases,
      gridPhases: gridPhasesOf(charger.phaseRotation),
      circuitPath: pathOf(circuitIndex.get(charger.circuit) ?? 0),
      node,
      maxAmps: charger.maxAmps,
    };
  });
  return {
    circuitIds: site.circuits.map((c) => c.id),
    circuitIndex,
    rootIndex: parents.indexOf(-1),
    parentIndex: parents,
    childrenFirst: site.circuits
      .map((_, c) => [c, pathOf(c).length] as const)
      .sort((a, b) => b[1] - a[1])
      .map(([c]) => c),
    circuitOfCharger: Int32Array.from(chargers, (charger) => charger.circuitPath[0]!),
    chargerOfConnector: Int32Array.from(connectors, (c) => c.chargerIndex),
    fuseAmps: site.circuits.map((c) =>
      typeof c.fuseAmps === 'number' ? [c.fuseAmps, c.fuseAmps, c.fuseAmps] : c.fuseAmps,
    ),
    meterIds: site.circuits.map((c) => c.meterId),
    chargers,
    connectors,
    connectorIndex: new Map(connectors.map((c, i) => [c.ref, i])),
    nodeChargerIds,
  };
}

/**
 * Per-phase amounts of every charger (3 per charger) summed per circuit (3 per circuit): each circuit carries its
 * own chargers and everything below it.
 */
export function sumPerCircuit(topology: SiteTopology, perCharger: Float64Array): Float64Array {
  const sums = new Float64Array(topology.circuitIds.length * 3);
  const own = topology.circuitOfCharger;
  own.forEach((circuit, k) => {
    for (let p = 0; p < 3; p++) addAt(sums, circuit * 3 + p, f64(perCharger, k * 3 + p));
  });
  for (const c of topology.childrenFirst) {
    const parent = topology.parentIndex[c]!;
    if (parent >= 0) for (let p = 0; p < 3; p++) addAt(sums, parent * 3 + p, f64(sums, c * 3 + p));
  }
  return sums;
}
