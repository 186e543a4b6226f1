/** The phases a car charges on, from its measurements, changed only when several samples in a row agree. */
import { drawnPhases } from '../../shared/site/drawn-phases';
import type { PhaseAmps } from '../../shared/units';

/** Samples in a row that must show another phase count before it is believed. */
const SAMPLES_TO_CHANGE = 3;

export class CarPhases {
  private count: 1 | 2 | 3 | undefined;
  private candidate: 1 | 2 | 3 | undefined;
  private votes = 0;

  /** Phases the car uses, once a sample showed current; undefined before. */
  get value(): 1 | 2 | 3 | undefined {
    return this.count;
  }

  /** Takes one measurement; samples without clear current say nothing about phases. */
  observe(amps: PhaseAmps): void {
    const phases = drawnPhases(amps);
    if (phases === undefined) return;
    if (this.count === undefined || phases === this.count) {
      this.count = phases;
      this.votes = 0;
      return;
    }
    this.votes = phases === this.candidate ? this.votes + 1 : 1;
    this.candidate = phases;
    if (this.votes >= SAMPLES_TO_CHANGE) {
      this.count = phases;
      this.votes = 0;
    }
  }
}
