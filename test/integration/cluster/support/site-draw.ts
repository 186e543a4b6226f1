/**
 * The simulated site's current as its chargers draw it, watched for the whole of a failover test: every charger's
 * draw per phase (`VirtualCharger.drawAmps`; the lab's chargers and cars are all three-phase, so each phase carries the
 * sum) is added up at every sample, and the highest sum is kept with each charger's share. A controller's overshoot
 * lasts until its next decision, seconds later, so samples every 50 ms find it.
 */
const SAMPLE_EVERY_MS = 50;

interface DrawingCharger {
  readonly charger: { readonly drawAmps: number; readonly spec: { readonly id: string } };
}

export class SiteDraw {
  /** The highest total seen, in amps per phase, and each charger's draw then. */
  peak = { amps: 0, byCharger: {} as Record<string, number> };
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly chargers: readonly DrawingCharger[]) {
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const amps = this.chargers.reduce((sum, cp) => sum + cp.charger.drawAmps, 0);
    if (amps > this.peak.amps)
      this.peak = {
        amps,
        byCharger: Object.fromEntries(this.chargers.map((cp) => [cp.charger.spec.id, cp.charger.drawAmps])),
      };
  }
}
