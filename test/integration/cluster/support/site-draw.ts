/**
 * The simulated site's current at its grid connection, as its meter measures it, watched for the whole of a failover
 * test: a constant building load per phase plus every charger's draw (`VirtualCharger.drawAmps`; the lab's chargers
 * and cars are all three-phase, so each phase carries the sum). The lab's simulated grid meter reads `phaseAmps()`
 * (lab-grid-meter.ts), so the agents control from the same truth the fuse check judges. The highest phase is sampled,
 * and its highest value kept with each charger's share. A controller's overshoot lasts until its next decision,
 * seconds later, so samples every 50 ms find it.
 */
const SAMPLE_EVERY_MS = 50;

export type PhaseAmps = readonly [number, number, number];

interface DrawingCharger {
  readonly charger: { readonly drawAmps: number; readonly spec: { readonly id: string } };
}

export class SiteDraw {
  /** The highest phase's highest current seen, in amps, the building's share of it, and each charger's draw then. */
  peak = { amps: 0, buildingAmps: 0, byCharger: {} as Record<string, number> };
  /**
   * The most the cars drew together in a sample, per phase: above 0 once the fuse check has judged them drawing. A
   * draw seen between two samples does not count (a test that stops its cars at once could otherwise pass the check
   * on the building alone).
   */
  carsSampledAmps = 0;
  private readonly timer: NodeJS.Timeout;

  /** `buildingAmps`: what the site's other consumers draw on each phase (none unless told). */
  constructor(
    private readonly chargers: readonly DrawingCharger[],
    private readonly buildingAmps: PhaseAmps = [0, 0, 0],
  ) {
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  /** The current on each phase now: the building load plus every car's draw. */
  phaseAmps(): PhaseAmps {
    const cars = this.carsAmps();
    return [this.buildingAmps[0] + cars, this.buildingAmps[1] + cars, this.buildingAmps[2] + cars];
  }

  /** What the cars draw now, per phase. */
  private carsAmps(): number {
    return this.chargers.reduce((sum, cp) => sum + cp.charger.drawAmps, 0);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    this.carsSampledAmps = Math.max(this.carsSampledAmps, this.carsAmps());
    const phases = this.phaseAmps();
    const amps = Math.max(...phases);
    if (amps > this.peak.amps)
      this.peak = {
        amps,
        buildingAmps: this.buildingAmps[phases.indexOf(amps)] ?? 0,
        byCharger: Object.fromEntries(this.chargers.map((cp) => [cp.charger.spec.id, cp.charger.drawAmps])),
      };
  }
}
