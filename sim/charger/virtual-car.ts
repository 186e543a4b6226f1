/** A simulated car: a battery that fills, a charging curve that tapers near full, and an on-board charger that may take less than offered. */

export interface CarSpec {
  readonly batteryWh: number;
  /** State of charge at plug-in, 0..1. */
  readonly initialSoc: number;
  /** The most current per phase the on-board charger draws. */
  readonly maxAmps: number;
  /** Phases the on-board charger uses (many cars charge on one). */
  readonly phases: 1 | 2 | 3;
  /** Above this state of charge the draw falls linearly to nothing at full. */
  readonly taperFromSoc: number;
  /** Below this current per phase a car cannot charge (IEC 61851). */
  readonly minAmps: number;
}

export const DEFAULT_CAR: CarSpec = {
  batteryWh: 60_000,
  initialSoc: 0.3,
  maxAmps: 32,
  phases: 3,
  taperFromSoc: 0.8,
  minAmps: 6,
};

export class VirtualCar {
  private storedWh: number;

  constructor(readonly spec: CarSpec) {
    this.storedWh = spec.batteryWh * Math.min(1, Math.max(0, spec.initialSoc));
  }

  get soc(): number {
    return this.storedWh / this.spec.batteryWh;
  }

  /** Current per phase the car draws when `offeredAmps` is offered: 0 below the minimum, tapering near full. */
  drawAmps(offeredAmps: number): number {
    if (offeredAmps < this.spec.minAmps) return 0;
    const { taperFromSoc } = this.spec;
    const curve = this.soc <= taperFromSoc ? 1 : Math.max(0, (1 - this.soc) / (1 - taperFromSoc));
    const amps = Math.min(offeredAmps, this.spec.maxAmps * curve);
    return amps < 1 ? 0 : amps;
  }

  /** Stores the energy delivered; returns what the battery actually took (none once full). */
  charge(wh: number): number {
    const taken = Math.min(wh, this.spec.batteryWh - this.storedWh);
    this.storedWh += taken;
    return taken;
  }
}
