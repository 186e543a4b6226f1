/**
 * Other consumers' load under each metered circuit, told from the meter reading and each car's draw at the instant
 * of that reading (not at the instant of the car's own last sample): a best estimate, held so that it rises at once
 * and falls only once it stayed lower for a while (the allocation follows it calmly), and a safe one that can only be
 * too high (every raise must fit under it).
 */
import type { OtherLoadEstimate } from '../../shared/allocation/allocation-types';
import type { SiteTopology } from '../../shared/allocation/site-topology';
import type { Policy } from '../../shared/policy/policy-schema';
import type { MeterReading } from '../../shared/site/site-state';
import type { PhaseAmps } from '../../shared/units';
import type { RuntimeSession } from './site-runtime';

export interface OtherLoadSettings {
  /** How long a car takes to follow a new limit, as the best estimate assumes. */
  readonly carResponseMs: number;
  /** A lower estimate replaces the held one only after every estimate this long was lower... */
  readonly releaseMs: number;
  /** ...by at least this much; smaller drops are taken after `driftMs`. */
  readonly releaseAmps: number;
  readonly driftMs: number;
}

export const OTHER_LOAD_SETTINGS: Omit<OtherLoadSettings, 'carResponseMs'> = { releaseMs: 3_000, releaseAmps: 1, driftMs: 30_000 };

export interface CircuitOtherLoad {
  readonly circuit: number;
  /** Held best estimate: what the allocation uses. */
  readonly heldAmps: PhaseAmps;
  /** Never below the truth at the reading's instant (unless a car cut its own draw unseen): what raises must fit under. */
  readonly safeAmps: PhaseAmps;
}

interface Held {
  amps: [number, number, number];
  readonly recent: { at: number; amps: PhaseAmps }[];
}

export class OtherLoadEstimator {
  private readonly held = new Map<number, Held>();

  constructor(
    private readonly topology: SiteTopology,
    private readonly settings: OtherLoadSettings,
  ) {}

  /** Estimates for every metered circuit whose meter has a fresh valid reading; forgets the others' history. */
  estimate(readingOf: (meterId: string) => MeterReading | undefined, sessions: readonly [string, RuntimeSession][], policy: Policy, now: number): CircuitOtherLoad[] {
    const control = policy.control;
    if (control.mode !== 'dynamic') return [];
    const out: CircuitOtherLoad[] = [];
    const circuits = this.topology.circuitIds.length;
    for (let c = 0; c < circuits; c++) {
      const meterId = this.topology.meterIds[c];
      const reading = meterId === undefined ? undefined : readingOf(meterId);
      if (reading === undefined || !reading.valid || reading.at > now || now - reading.at > control.staleMeter.afterSeconds * 1000) {
        this.held.delete(c);
        continue;
      }
      const { best, low } = this.ownDraw(c, reading.at, sessions, policy.closedLoop.thresholdAmps);
      const bestOther: PhaseAmps = [0, 1, 2].map((p) => Math.max(0, reading.amps[p as 0] - best[p]!)) as unknown as PhaseAmps;
      const safeOther: PhaseAmps = [0, 1, 2].map((p) => Math.max(0, reading.amps[p as 0] - low[p]!)) as unknown as PhaseAmps;
      out.push({ circuit: c, heldAmps: this.hold(c, now, bestOther), safeAmps: safeOther });
    }
    return out;
  }

  /** The estimates in the allocator's terms. */
  static forAllocator(topology: SiteTopology, estimates: readonly CircuitOtherLoad[]): OtherLoadEstimate[] {
    return estimates.map((e) => ({ circuitId: topology.circuitIds[e.circuit]!, amps: e.heldAmps }));
  }

  /** Our cars' draw under circuit `c` at instant `t`, per grid phase: best estimate and lower bound. */
  private ownDraw(c: number, t: number, sessions: readonly [string, RuntimeSession][], toleranceAmps: number) {
    const best = [0, 0, 0];
    const low = [0, 0, 0];
    for (const [ref, session] of sessions) {
      const index = this.topology.connectorIndex.get(ref);
      if (index === undefined) continue;
      const charger = this.topology.chargers[this.topology.connectors[index]!.chargerIndex]!;
      if (!charger.circuitPath.includes(c)) continue;
      const phases = Math.min(session.phases.value ?? charger.phases, charger.phases);
      const b = session.history.best(t, this.settings.carResponseMs, toleranceAmps, phases);
      const l = session.history.lowerBound(t);
      for (let k = 0; k < charger.phases; k++) {
        const g = charger.gridPhases[k]!;
        best[g]! += b[k]!;
        low[g]! += l[k]!;
      }
    }
    return { best, low };
  }

  /** Rises at once; falls once every estimate of the last `releaseMs` was clearly lower, or of the last `driftMs` lower at all. */
  private hold(c: number, now: number, amps: PhaseAmps): PhaseAmps {
    const { releaseMs, releaseAmps, driftMs } = this.settings;
    let held = this.held.get(c);
    if (held === undefined) {
      held = { amps: [amps[0], amps[1], amps[2]], recent: [] };
      this.held.set(c, held);
    }
    held.recent.push({ at: now, amps });
    // Estimates hold until the next one: keep the one in force when the long window opens.
    while (held.recent.length > 1 && held.recent[1]!.at <= now - driftMs) held.recent.shift();
    const oldest = held.recent[0]!.at;
    for (let p = 0; p < 3; p++) {
      if (amps[p as 0] >= held.amps[p]!) {
        held.amps[p] = amps[p as 0];
        continue;
      }
      let shortMax = 0;
      let longMax = 0;
      held.recent.forEach((r, i) => {
        longMax = Math.max(longMax, r.amps[p as 0]);
        const next = held.recent[i + 1];
        if (next === undefined || next.at > now - releaseMs) shortMax = Math.max(shortMax, r.amps[p as 0]);
      });
      if (now - oldest >= releaseMs && shortMax <= held.amps[p]! - releaseAmps) held.amps[p] = shortMax;
      else if (now - oldest >= driftMs && longMax < held.amps[p]!) held.amps[p] = longMax;
    }
    return [held.amps[0], held.amps[1], held.amps[2]];
  }
}
