/** The electrical side of one simulated connector: what is offered, what the car draws (after a ramp delay), and the energy register. */
import type { VirtualCar } from './virtual-car';

/** An OCPP 1.6 sampled value as a charger sends it. */
export interface SampledValue {
  readonly value: string;
  readonly measurand: string;
  readonly unit: string;
  readonly phase?: string;
  readonly context: 'Sample.Periodic' | 'Transaction.Begin' | 'Transaction.End' | 'Trigger';
}

const PHASE_NAMES = ['L1', 'L2', 'L3'] as const;

export class ConnectorMeter {
  /** The energy register, in Wh, over the charger's lifetime. */
  registerWh = 0;
  offeredAmps = 0;
  drawAmps = 0;
  private lastAt: number;

  constructor(
    private readonly volts: number,
    private readonly chargerPhases: 1 | 3,
    now: number,
  ) {
    this.lastAt = now;
  }

  /** Phases the current flows on: the car's, limited to the charger's. */
  phasesUsed(car: VirtualCar | undefined): number {
    return car === undefined ? 0 : Math.min(car.spec.phases, this.chargerPhases);
  }

  powerWatts(car: VirtualCar | undefined): number {
    return this.drawAmps * this.phasesUsed(car) * this.volts;
  }

  /** Accounts the energy drawn since the last call; the car stops drawing once full. */
  advance(now: number, car: VirtualCar | undefined): void {
    const hours = Math.max(0, now - this.lastAt) / 3_600_000;
    this.lastAt = now;
    if (car === undefined || this.drawAmps === 0) return;
    const taken = car.charge(this.powerWatts(car) * hours);
    this.registerWh += taken;
    if (car.drawAmps(this.offeredAmps) === 0) this.drawAmps = 0;
  }

  /** Per-phase current, offered current, power, energy and voltage, in the charger's own phase order. */
  sample(car: VirtualCar | undefined, context: SampledValue['context']): SampledValue[] {
    const used = this.phasesUsed(car);
    const phases = PHASE_NAMES.slice(0, this.chargerPhases);
    return [
      ...phases.map((phase, i) => ({
        measurand: 'Current.Import',
        phase,
        unit: 'A',
        value: (i < used ? this.drawAmps : 0).toFixed(1),
        context,
      })),
      { measurand: 'Current.Offered', unit: 'A', value: this.offeredAmps.toFixed(1), context },
      { measurand: 'Power.Active.Import', unit: 'W', value: this.powerWatts(car).toFixed(0), context },
      { measurand: 'Energy.Active.Import.Register', unit: 'Wh', value: this.registerWh.toFixed(0), context },
      ...phases.map((phase) => ({
        measurand: 'Voltage',
        phase: `${phase}-N`,
        unit: 'V',
        value: this.volts.toFixed(1),
        context,
      })),
    ];
  }
}
