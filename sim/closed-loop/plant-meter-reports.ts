/**
 * What the site's meters say: the grid meter, polled at its interval (building load plus the cars' real draw, with
 * noise; quiet while it is lost), and each charger's MeterValues, at its own interval or on a trigger. Its own file
 * because reporting only reads the plant: it changes nothing a car or a charger does.
 */
import type { PhaseAmps } from '../../shared/units';
import { mulberry32 } from '../prng';
import type { PlantListener } from './plant-messages';
import { phasesOf, type Charger, type Connector, type PlantRecords } from './plant-records';
import type { PlantTruth } from './plant-truth';

/** What the meters need of the plant beyond its records. */
export interface MeterReportHooks {
  /** Hands an event to the controller (the plant's listener of the moment). */
  readonly send: PlantListener;
  /** The truth now, which the grid meter reads. */
  readonly truth: () => PlantTruth;
  /** Brings every session's energy register up to now (a full car stops drawing and its charger says so). */
  readonly integrateEnergy: () => void;
}

export class PlantMeterReports {
  /** One noise source for the grid meter and the chargers' samples, seeded by the scenario: runs are reproducible. */
  private readonly noise: () => number;

  constructor(
    private readonly plant: PlantRecords,
    private readonly meterLost: ReadonlySet<string>,
    private readonly hooks: MeterReportHooks,
  ) {
    this.noise = mulberry32(plant.scenario.seed);
  }

  pollMeters(): void {
    const pollMs = this.plant.scenario.meter.pollSeconds * 1000;
    const tick = () => {
      const truth = this.hooks.truth();
      this.plant.topology.meterIds.forEach((meterId, c) => {
        if (meterId === undefined) return;
        if (this.meterLost.has(meterId)) return this.hooks.send({ kind: 'meter', meterId, amps: undefined });
        const n = this.plant.scenario.meter.noiseAmps;
        const amps = [0, 1, 2].map((p) =>
          Math.max(0, truth.buildingAmps[c]![p]! + truth.carAmps[c]![p]! + (this.noise() * 2 - 1) * n),
        ) as unknown as PhaseAmps;
        this.hooks.send({ kind: 'meter', meterId, amps });
      });
      this.plant.clock.after(pollMs, tick);
    };
    this.plant.clock.after(pollMs, tick);
  }

  reportMeterValues(charger: Charger, intervalMs: number): void {
    this.plant.clock.after(intervalMs, () => this.reportMeterValues(charger, intervalMs));
    if (!charger.online) return;
    for (const c of this.plant.connectors)
      if (this.plant.chargers[c.chargerIndex] === charger) this.sendSample(charger, c);
  }

  /** One MeterValues of a connector with a car: its draw now on the phases it uses, and its energy register. */
  sendSample(charger: Charger, c: Connector): void {
    if (c.session === undefined) return;
    this.hooks.integrateEnergy();
    const phases = phasesOf(this.plant.topology, c);
    const n = this.plant.scenario.chargers.noiseAmps;
    const draw = c.session.draw.at(this.plant.clock.now());
    const amps = [0, 1, 2].map((k) =>
      k < phases && draw > 0 ? Math.max(0, draw + (this.noise() * 2 - 1) * n) : 0,
    ) as unknown as PhaseAmps;
    this.hooks.send({
      kind: 'meterValues',
      chargerId: charger.id,
      connectorId: c.connectorId,
      transactionId: c.session.transactionId,
      amps,
      energyWh: Math.round(c.session.energyWh),
    });
  }
}
