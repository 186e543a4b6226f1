/**
 * The grid meters as the control loop sees them: each valid sample becomes the meter's reading and moves its staleness
 * deadline (a round runs at that instant, so a meter that went quiet is noticed without waiting for an event), and a
 * meter lost or back is logged and reported once per transition.
 */
import type { Policy } from '../../shared/policy/policy-schema';
import { englishMessage, type MessageRef } from '../../shared/server-messages';
import type { Clock } from '../platform/clock';
import type { meterTransitions } from './allocation-targets';
import type { MeterInput } from './control-inputs';
import type { ControlObserver } from './control-ports';
import type { DemandControl } from './demand-control';
import type { ProbationSettings } from './meter-probation';
import type { SiteRuntime } from './site-runtime';

/** Why a meter was lost when it never gave a reading (so it has no fault of its own). */
const NO_READING: MessageRef = { reason: 'meterFault.noReading' };

/** The slice of the loop's log a meter's transitions are written to. */
interface MeterLog {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
}

export interface MeterWatchDeps {
  readonly runtime: SiteRuntime;
  readonly clock: Clock;
  readonly log: MeterLog;
  readonly observer: ControlObserver;
  readonly demand: DemandControl;
  readonly policy: () => Policy;
  /** The grid connection's meter, whose readings peak-demand control counts. */
  readonly rootMeterId: () => string | undefined;
  /** True once the loop stopped: a late sample sets no timer. */
  readonly stopped: () => boolean;
  /** Asks the loop for a round (after its debounce, or `delayMs`). */
  readonly request: (delayMs?: number) => void;
}

export class MeterWatch {
  private readonly timers = new Map<string, () => void>();

  constructor(private readonly deps: MeterWatchDeps) {}

  /** Takes one grid meter sample; a valid one re-runs the allocation, and the meter's staleness deadline moves on. */
  onInput({ reading, fault, gridImport }: MeterInput): void {
    const { deps } = this;
    const trustedFrom = deps.runtime.recordMeterReading(reading, fault, this.probationSettings());
    if (trustedFrom !== undefined)
      deps.log.info(
        { meterId: reading.meterId, trustedFrom: new Date(trustedFrom).toISOString() },
        'meter back, but lost again less than a minimum pause after its last return: its readings count once it has read that long without a gap',
      );
    if (!reading.valid || deps.stopped()) return;
    const policy = deps.policy();
    if (gridImport !== undefined && reading.meterId === deps.rootMeterId())
      deps.demand.onReading(reading.at, gridImport, policy);
    deps.request();
    const control = policy.control;
    if (control.mode !== 'dynamic') return;
    this.timers.get(reading.meterId)?.();
    const staleInMs = Math.max(0, reading.at + control.staleMeter.afterSeconds * 1000 - deps.clock.now()) + 1;
    this.timers.set(
      reading.meterId,
      deps.clock.after(staleInMs, () => deps.request(0)),
    );
  }

  /** Logs and reports each circuit whose meter was lost or came back in this round's allocation. */
  report(transitions: ReturnType<typeof meterTransitions>, at: number): void {
    const { deps } = this;
    for (const { circuitId, lost } of transitions) {
      const meterId = deps.runtime.site.circuits.find((c) => c.id === circuitId)?.meterId ?? circuitId;
      deps.runtime.meterTransition(meterId, lost, at, this.probationSettings());
      if (lost) {
        const reason = deps.runtime.meterFault(meterId) ?? NO_READING;
        deps.log.warn(
          { meterId, circuitId, reason: englishMessage(reason) },
          'meter lost: circuit falls back to the fail-safe budget',
        );
        deps.observer.onControlEvent({ type: 'meterLost', at, meterId, circuitId, reason });
      } else {
        deps.log.info({ meterId, circuitId }, 'meter recovered: dynamic control resumes');
        deps.observer.onControlEvent({ type: 'meterRecovered', at, meterId, circuitId });
      }
    }
  }

  /** Cancels every staleness deadline (the loop stops). */
  cancelAll(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  /** How long a meter that keeps dropping out must read before it counts again, and what counts as a gap. */
  private probationSettings(): ProbationSettings {
    const policy = this.deps.policy();
    const staleSeconds = policy.control.mode === 'dynamic' ? policy.control.staleMeter.afterSeconds : Infinity;
    return { staleMs: staleSeconds * 1000, minPauseMs: policy.hysteresis.minPauseSeconds * 1000 };
  }
}
