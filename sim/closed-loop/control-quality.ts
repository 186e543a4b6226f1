/**
 * Scores a closed-loop run from the plant's truth, step by step: overload the controller caused (and overload the
 * building caused, apart), limits in force beyond a fuse or the budget, limit changes once the site is steady,
 * settle times after building-load steps, pauses the site did not need, and energy delivered against what the fuses
 * allowed.
 */
import type { SiteTopology } from '../../shared/allocation/site-topology';
import type { PhaseAmps } from '../../shared/units';
import { DemandPeriods, type DemandPeriodScore } from './demand-periods';
import { IdealShare, type SessionView } from './ideal-share';
import type { PlantScenario } from './plant-scenario';
import type { PlantTruth } from './plant-truth';

/** The longest a car takes to follow a lower limit (IEC 61851). */
const CAR_RESPONSE_MS = 5_000;
/**
 * Sums of currents carry float error: three cars at 9.4, 9.3 and 9.3 A on a 28 A fuse add up to 28.000000000000004.
 * An excess no larger than this is that error, not an overload.
 */
const FLOAT_AMPS = 1e-6;

export interface QualityReport {
  /**
   * Overload caused by our limits, A*s over all circuit phases: building load rises, and cars that plugged in and draw
   * their charger's fail-safe default, get `graceSeconds` for our cut to land; what cars at offline chargers draw (no
   * controller can cut them) is never ours, the limits in force they hold are checked by `inForceExcess*`.
   */
  readonly controllerOverloadAmpSeconds: number;
  readonly controllerOverloadPeakAmps: number;
  /** All overload, whoever caused it, A*s. */
  readonly totalOverloadAmpSeconds: number;
  /** Limits in force (leases, fail-safe defaults, offline chargers) beyond a fuse or the budget, A*s. */
  readonly inForceExcessAmpSeconds: number;
  readonly inForceExcessPeakAmps: number;
  /** Accepted limit changes (not renewals) while the inputs were steady, per charger and hour. */
  readonly settledChangesPerChargerHour: number;
  readonly settledSeconds: number;
  /** Seconds from each building-load step to the last limit change it caused. */
  readonly settleSeconds: readonly number[];
  /** Car-seconds paused while the real site could give every charging car its minimum (minimum pause times included). */
  readonly unneededPauseSeconds: number;
  /**
   * Pauses that began while the real site could give every charging car its minimum (meter losses aside). Offline
   * chargers count at what they hold plus what their cars draw: the meter shows their draw as other load, and nobody
   * can tell it apart while they are offline.
   */
  readonly unneededPauseStarts: number;
  readonly deliveredAmpSeconds: number;
  /** What the fuses and the budget allowed the cars drawing, per phase on its own (an upper bound no policy may reach). */
  readonly allowedAmpSeconds: number;
  /** What the same policy would have delivered knowing the truth at once (`ideal-share.ts`). */
  readonly idealAmpSeconds: number;
  readonly limitChanges: number;
  /** The true average import of each demand period at the grid connection (`policy.demandControl.periodMinutes`). */
  readonly demandPeriods: readonly DemandPeriodScore[];
}

/** An excess in A, 0 unless beyond the float error of adding currents. */
const beyond = (excess: number): number => (excess > FLOAT_AMPS ? excess : 0);

export interface QualitySettings {
  readonly graceSeconds: number;
  /** Inputs must be unchanged this long before the site counts as steady. */
  readonly steadyAfterSeconds: number;
}

export class ControlQuality {
  private controllerOver = 0;
  private controllerPeak = 0;
  private totalOver = 0;
  private inForceOver = 0;
  private inForcePeak = 0;
  private unneededPause = 0;
  private unneededStarts = 0;
  private readonly wasPaused = new Map<string, boolean>();
  /** Per connector, the plug-in time of the car that was offered current (a new car on it starts over). */
  private readonly offered = new Map<string, number>();
  /** Per connector, when the controller could first hear of its car (plugged in, its charger online). */
  private readonly heard = new Map<string, { pluggedAt: number; at: number }>();
  private readonly meterLost: readonly [number, number][];
  private delivered = 0;
  private allowed = 0;
  private ideal = 0;
  private readonly idealShare: IdealShare;
  private readonly demandPeriods: DemandPeriods;
  private changes: { at: number; ref: string }[] = [];
  private readonly history: { at: number; building: readonly PhaseAmps[] }[] = [];
  private readonly inputChanges: number[];
  private readonly buildingSteps: number[];
  private lastAt: number | undefined;

  constructor(
    private readonly scenario: PlantScenario,
    private readonly topology: SiteTopology,
    private readonly startedAt: number,
    private readonly settings: QualitySettings,
  ) {
    const s = scenario;
    this.idealShare = new IdealShare(scenario, topology);
    this.demandPeriods = new DemandPeriods(scenario, topology, startedAt);
    this.meterLost = s.meterLoss.map((m) => [startedAt + m.fromSeconds * 1000, startedAt + m.toSeconds * 1000]);
    this.buildingSteps = s.building.map((b) => startedAt + b.atSeconds * 1000);
    this.inputChanges = [
      startedAt,
      ...this.buildingSteps,
      ...s.cars
        .flatMap((c) => [c.arriveSeconds, ...(c.leaveSeconds === undefined ? [] : [c.leaveSeconds])])
        .map((x) => startedAt + x * 1000),
      ...s.dropouts.flatMap((d) => [d.fromSeconds, d.toSeconds]).map((x) => startedAt + x * 1000),
      ...s.meterLoss.flatMap((d) => [d.fromSeconds, d.toSeconds]).map((x) => startedAt + x * 1000),
    ].sort((a, b) => a - b);
  }

  /** A limit change a charger accepted. */
  recordChange(at: number, ref: string): void {
    this.changes.push({ at, ref });
  }

  /** Scores the instant `at`; call once per simulation step. */
  sample(at: number, truth: PlantTruth, sessions: readonly SessionView[]): void {
    const dt = this.lastAt === undefined ? 0 : (at - this.lastAt) / 1000;
    this.lastAt = at;
    this.history.push({ at, building: truth.buildingAmps });
    while (this.history.length > 1 && this.history[0]!.at < at - this.settings.graceSeconds * 1000)
      this.history.shift();
    const budget = this.budgetAmps();
    const circuits = this.topology.circuitIds.length;
    for (let c = 0; c < circuits; c++) {
      const fuse = this.topology.fuseAmps[c]!;
      for (let p = 0; p < 3; p++) {
        const cars = truth.carAmps[c]![p]!;
        const building = truth.buildingAmps[c]![p]!;
        let buildingRef = building;
        for (const h of this.history) buildingRef = Math.min(buildingRef, h.building[c]![p]!);
        // Only what online cars draw could a controller cut: an offline charger's car goes on at the lease it accepted
        // while the building load was lower (the part of an overload it makes is the building's), and one whose
        // charger just came back gets the same grace as a building-load rise.
        const cuttable = cars - truth.uncuttableCarAmps[c]![p]!;
        const caused = beyond(Math.min(cuttable, buildingRef + cars - truth.arrivingAmps[c]![p]! - fuse[p]!));
        this.controllerOver += caused * dt;
        this.controllerPeak = Math.max(this.controllerPeak, caused);
        this.totalOver += beyond(building + cars - fuse[p]!) * dt;
        const limit = c === this.topology.rootIndex ? Math.min(fuse[p]!, budget) : fuse[p]!;
        const excess = beyond(truth.inForceAmps[c]![p]! - limit);
        this.inForceOver += excess * dt;
        this.inForcePeak = Math.max(this.inForcePeak, excess);
      }
    }
    this.scoreSessions(at, dt, truth, sessions, budget);
    this.demandPeriods.sample(at, truth);
  }

  report(endAt: number): QualityReport {
    const steadyMs = this.settings.steadyAfterSeconds * 1000;
    const bounds = [...this.inputChanges, endAt];
    let settledMs = 0;
    let settledChanges = 0;
    for (let k = 0; k + 1 < bounds.length; k++) {
      const from = bounds[k]! + steadyMs;
      const to = bounds[k + 1]!;
      if (to <= from) continue;
      settledMs += to - from;
      settledChanges += this.changes.filter((c) => c.at >= from && c.at < to).length;
    }
    const settleSeconds = this.buildingSteps.map((step) => {
      const next = bounds.find((b) => b > step) ?? endAt;
      const last = this.changes.filter((c) => c.at >= step && c.at < next).at(-1);
      return last === undefined ? 0 : (last.at - step) / 1000;
    });
    const chargers = Math.max(1, this.topology.chargers.length);
    return {
      controllerOverloadAmpSeconds: this.controllerOver,
      controllerOverloadPeakAmps: this.controllerPeak,
      totalOverloadAmpSeconds: this.totalOver,
      inForceExcessAmpSeconds: this.inForceOver,
      inForceExcessPeakAmps: this.inForcePeak,
      settledChangesPerChargerHour: settledMs === 0 ? 0 : settledChanges / chargers / (settledMs / 3_600_000),
      settledSeconds: settledMs / 1000,
      settleSeconds,
      unneededPauseSeconds: this.unneededPause,
      unneededPauseStarts: this.unneededStarts,
      deliveredAmpSeconds: this.delivered,
      allowedAmpSeconds: this.allowed,
      idealAmpSeconds: this.ideal,
      limitChanges: this.changes.length,
      demandPeriods: this.demandPeriods.report(),
    };
  }

  /** Pauses the real site did not need, and energy delivered against what the root fuse and budget allowed. */
  private scoreSessions(
    at: number,
    dt: number,
    truth: PlantTruth,
    sessions: readonly SessionView[],
    budget: number,
  ): void {
    const root = this.topology.rootIndex;
    const margin = this.marginAmps();
    const minimums = new Float64Array(this.topology.circuitIds.length * 3);
    const want = [0, 0, 0];
    const drawn = [0, 0, 0];
    let paused = 0;
    const started: string[] = [];
    for (const s of sessions) {
      // A pause starts when a car that had current is given 0 (whether or not it drew yet); it lasts while it would
      // draw. A car that just plugged in gets nothing until its lease (the idle hold), which waits until the cuts that
      // make room for it have landed (the others' cars take up to 5 s to follow): that wait is a start, not a pause. A
      // car that plugged into an offline charger waits from when its charger is back (the controller hears of it).
      if (s.inForceAmps > 0) this.offered.set(s.ref, s.pluggedAt);
      const heard = this.heard.get(s.ref);
      if (s.online && heard?.pluggedAt !== s.pluggedAt) this.heard.set(s.ref, { pluggedAt: s.pluggedAt, at });
      const heardAt = this.heard.get(s.ref)?.at ?? at;
      const arriving =
        at - heardAt < this.settings.graceSeconds * 1000 + CAR_RESPONSE_MS && this.offered.get(s.ref) !== s.pluggedAt;
      const isPaused = s.online && s.inForceAmps === 0 && !arriving;
      const hadCurrent = this.offered.get(s.ref) === s.pluggedAt;
      if (isPaused && hadCurrent && this.wasPaused.get(s.ref) === false) started.push(s.ref);
      this.wasPaused.set(s.ref, isPaused);
      if (!s.online) continue;
      const index = this.topology.connectorIndex.get(s.ref)!;
      const connector = this.topology.connectors[index]!;
      const charger = this.topology.chargers[connector.chargerIndex]!;
      for (let k = 0; k < s.phases; k++) {
        const g = charger.gridPhases[k]!;
        for (const c of charger.circuitPath) minimums[c * 3 + g]! += connector.minAmps;
        if (!s.drawing) continue;
        want[g]! += s.wantAmps;
        drawn[g]! += s.drawAmps;
      }
      if (s.drawing && isPaused) paused++;
    }
    if (paused > 0 || started.length > 0) {
      let fits = true;
      for (let c = 0; c < this.topology.circuitIds.length && fits; c++) {
        for (let p = 0; p < 3; p++) {
          // An offline charger keeps what it holds reserved, and what its car draws reads as other load: both count.
          const unseen = truth.offlineAmps[c]![p]! + truth.offlineCarAmps[c]![p]!;
          const room =
            Math.min(
              this.topology.fuseAmps[c]![p]! - truth.buildingAmps[c]![p]! - margin,
              c === root ? budget : Infinity,
            ) - unseen;
          if (minimums[c * 3 + p]! > room + FLOAT_AMPS) fits = false;
        }
      }
      if (fits) this.unneededPause += paused * dt;
      if (fits && !this.meterLost.some(([from, to]) => at >= from && at <= to + 10_000))
        this.unneededStarts += started.length;
    }
    const ideal = dt > 0 ? this.idealShare.rootAmpsAt(at, truth, sessions) : [0, 0, 0];
    for (let p = 0; p < 3; p++) {
      const room = Math.max(
        0,
        Math.min(this.topology.fuseAmps[root]![p]! - truth.buildingAmps[root]![p]! - margin, budget),
      );
      this.allowed += Math.min(want[p]!, room) * dt;
      this.ideal += ideal[p]! * dt;
      this.delivered += drawn[p]! * dt;
    }
  }

  private budgetAmps(): number {
    const { budget } = this.scenario.policy;
    return budget.unit === 'A' ? budget.max : (budget.max * 1000) / (3 * this.scenario.site.nominalVolts);
  }

  private marginAmps(): number {
    const control = this.scenario.policy.control;
    return control.mode === 'dynamic' ? control.safetyMarginAmps : 0;
  }
}
