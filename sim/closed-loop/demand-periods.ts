/**
 * The demand periods of a closed-loop run as the grid operator's meter counts them: the true average import of each
 * clock-aligned period at the grid connection (building load plus the cars' real draw), the building's part, and how
 * far the building alone went over the target less the margin (what no control of the chargers can take back).
 */
import type { SiteTopology } from '../../shared/allocation/site-topology';
import { demandPeriodAt, type DemandPeriod } from '../../shared/demand/demand-period';
import type { PlantScenario } from './plant-scenario';
import type { PlantTruth } from './plant-truth';

export interface DemandPeriodScore {
  readonly start: number;
  /** The period's average import (kW). */
  readonly averageKw: number;
  /** The building load's part of it (kW). */
  readonly buildingKw: number;
  /**
   * The building load's excess over the target less the margin, averaged over the period (kW): 0 when the building
   * alone stayed under it throughout, at every step (inside the period too). Without a fixed target, 0.
   */
  readonly buildingExcessKw: number;
  /** The whole period ran inside the simulation. */
  readonly complete: boolean;
}

export class DemandPeriods {
  private readonly scores: DemandPeriodScore[] = [];
  private period: DemandPeriod | undefined;
  private wattHours = 0;
  private buildingWattHours = 0;
  private excessWattHours = 0;
  private lastAt: number | undefined;

  constructor(
    private readonly scenario: PlantScenario,
    private readonly topology: SiteTopology,
    /** When the run started: a period that began before it is not complete. */
    private readonly startedAt: number,
  ) {}

  /** Counts the step ending at `at`; call once per simulation step. */
  sample(at: number, truth: PlantTruth): void {
    const minutes = this.scenario.policy.demandControl.periodMinutes;
    const period = (this.period ??= demandPeriodAt(at, minutes, this.scenario.site.timezone));
    if (at > period.end) this.close();
    const root = this.topology.rootIndex;
    const volts = this.scenario.site.nominalVolts;
    const building = truth.buildingAmps[root]!;
    const cars = truth.carAmps[root]!;
    const hours = this.lastAt === undefined ? 0 : (at - this.lastAt) / 3_600_000;
    this.lastAt = at;
    let watts = 0;
    let buildingWatts = 0;
    for (let p = 0; p < 3; p++) {
      watts += (building[p]! + cars[p]!) * volts;
      buildingWatts += building[p]! * volts;
    }
    this.wattHours += watts * hours;
    this.buildingWattHours += buildingWatts * hours;
    const { targetKw, marginKw } = this.scenario.policy.demandControl;
    if (targetKw !== null) this.excessWattHours += Math.max(0, buildingWatts - (targetKw - marginKw) * 1000) * hours;
  }

  /** Every period so far, the one still running last (not complete). */
  report(): DemandPeriodScore[] {
    const open = this.period === undefined ? [] : [this.score(false)];
    return [...this.scores, ...open];
  }

  private close(): void {
    this.scores.push(this.score(true));
    const period = this.period!;
    this.period = demandPeriodAt(
      period.end,
      this.scenario.policy.demandControl.periodMinutes,
      this.scenario.site.timezone,
    );
    this.wattHours = 0;
    this.buildingWattHours = 0;
    this.excessWattHours = 0;
  }

  private score(closing: boolean): DemandPeriodScore {
    const period = this.period!;
    const hours = (period.end - period.start) / 3_600_000;
    return {
      start: period.start,
      averageKw: this.wattHours / hours / 1000,
      buildingKw: this.buildingWattHours / hours / 1000,
      buildingExcessKw: this.excessWattHours / hours / 1000,
      complete: closing && this.startedAt <= period.start,
    };
  }
}
