/**
 * What the control loop knows of each grid meter: its last valid reading (an invalid sample does not replace it, so a
 * glitch is not a lost meter), why it read nothing valid last, and whether its readings count yet after it kept
 * dropping out (`meter-probation.ts`).
 */
import type { MessageRef } from '../../shared/server-messages';
import type { MeterReading } from '../../shared/site/site-state';
import { MeterProbation, type ProbationSettings } from './meter-probation';

export class MeterReadings {
  private readonly readings = new Map<string, MeterReading>();
  private readonly faults = new Map<string, MessageRef>();
  private readonly probation = new MeterProbation();

  /**
   * Takes a meter sample: a valid one becomes the reading, an invalid one is remembered as the fault. Returns when the
   * meter's readings count again if this reading put it on probation.
   */
  record(
    reading: MeterReading,
    invalidReason: MessageRef | undefined,
    settings: ProbationSettings,
  ): number | undefined {
    if (!reading.valid) {
      this.faults.set(reading.meterId, invalidReason ?? { reason: 'meterFault.invalid' });
      return undefined;
    }
    this.readings.set(reading.meterId, reading);
    this.faults.delete(reading.meterId);
    return this.probation.reading(reading.meterId, reading.at, settings);
  }

  /** Drops a meter's last reading (its settings changed): its circuits count it as stale until its next valid one. */
  forget(meterId: string, reason: MessageRef): void {
    this.readings.delete(meterId);
    this.faults.set(meterId, reason);
  }

  /** The allocation put the meter's circuit on its fallback budget (`lost`) or saw it again, at `at`. */
  transition(meterId: string, lost: boolean, at: number, settings: ProbationSettings): void {
    if (lost) this.probation.lost(meterId, at, settings);
    else this.probation.returned(meterId, at);
  }

  lastValid(meterId: string): MeterReading | undefined {
    return this.readings.get(meterId);
  }

  /** Why the meter's readings do not count: its last sample's fault, or its probation (and for how long). */
  fault(meterId: string): MessageRef | undefined {
    const fault = this.faults.get(meterId);
    const withheldMs = this.probation.withheldFor(meterId);
    if (fault !== undefined || withheldMs === undefined) return fault;
    return { reason: 'meterFault.probation', params: { seconds: Math.round(withheldMs / 1000) } };
  }

  /** The readings the allocator may use: every meter's last valid one, but a meter's on probation. */
  trusted(): MeterReading[] {
    return [...this.readings.values()].filter((r) => this.probation.withheldFor(r.meterId) === undefined);
  }
}
