/**
 * The site plant's live records: a car's session, a connector with its lease, a charger's link and boot state, and the
 * bundle of them that the plant's truth, meter reports and charger calls read. Their own file because all of those
 * parts and the plant itself read and change the same records.
 */
import type { SiteTopology } from '../../shared/allocation/site-topology';
import type { PhaseAmps } from '../../shared/units';
import type { SimClock } from '../charger/sim-clock';
import type { CarDraw } from './car-response';
import type { PlantEvent, PlantLease } from './plant-messages';
import type { PlantCar, PlantScenario } from './plant-scenario';

export interface Session {
  readonly car: PlantCar;
  readonly transactionId: number;
  readonly pluggedAt: number;
  /** Plugged in while its charger was online: the controller heard of it at once. */
  readonly seenAtOnce: boolean;
  readonly draw: CarDraw;
  /** False until the car's first current (it takes `startSeconds` after plug-in), and again once it is full. */
  drawing: boolean;
  energyWh: number;
}

export interface Connector {
  readonly ref: string;
  readonly chargerIndex: number;
  readonly connectorId: number;
  readonly maxAmps: number;
  session?: Session;
  lease?: PlantLease;
}

export interface Charger {
  readonly id: string;
  online: boolean;
  /** Until when its idle hold (0 A above the fail-safe) holds; a car without a lease gets nothing until then. */
  holdUntil: number;
  /** False from a boot that lost its profiles until its fail-safe default is set again: a car then gets its maximum. */
  failSafeHeld: boolean;
  /** Restarting: it comes back holding no profile. */
  rebooting: boolean;
  /**
   * Its boot is not answered yet: it sends no request (OCPP 1.6, 4.2), so a car that plugs in waits for the answer to
   * start its transaction, and draws nothing meanwhile (4.2.1 advises denying charging before the charger is accepted).
   */
  booting: boolean;
  /** Cars that plugged in while it was restarting or booting. */
  readonly waiting: PlantCar[];
  /** When its link last changed. */
  since: number;
  /** Transaction messages a charger keeps while offline and sends once it is back (OCPP 1.6 queues them). */
  readonly queued: PlantEvent[];
}

/** The plant as its truth, its meter reports and its charger calls read it: the scenario, the site, the clock and the live records. */
export interface PlantRecords {
  readonly scenario: PlantScenario;
  readonly topology: SiteTopology;
  readonly clock: SimClock;
  readonly connectors: readonly Connector[];
  readonly chargers: readonly Charger[];
  /** Other consumers per circuit now: the scenario's building steps. */
  readonly building: readonly PhaseAmps[];
}

/** The phases a connector's car draws on: the car's, capped by its charger's. */
export function phasesOf(topology: SiteTopology, connector: Connector): number {
  const charger = topology.chargers[connector.chargerIndex]!;
  return Math.min(connector.session?.car.phases ?? charger.phases, charger.phases);
}
