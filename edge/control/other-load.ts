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
import type { OtherLoadSettings } from './other-load-settings';
import type { RuntimeSession } from './site-runtime';

export interface CircuitOtherLoad {
  readonly circuit: number;
  /** Held best estimate: what the allocation uses. */
  readonly heldAmps: PhaseAmps;
  /** The held estimate before a sudden rise that has not lasted `confirmMs` yet (else the held one). */
  readonly confirmedAmps: PhaseAmps;
  /** When an unconfirmed rise becomes confirmed, if one is pending. */
  readonly confirmAt: number | undefined;
  /** Never below the truth at the reading's instant (unless a car cut its own draw unseen): what raises must fit under. */
  readonly safeAmps: PhaseAmps;
  /**
   * The estimate's own error, per phase: what the cars' samples add up to with hundreds of cars (20 A at 500). Rises
   * smaller than the margin and this are not taken as other load, so the allocation keeps this free beside the margin.
   */
  readonly bandAmps: PhaseAmps;
}

/** Other load as a range: at least `low` (our cars counted high), at most `high` (our cars counted low). */
interface OtherRange {
  readonly low: PhaseAmps;
  readonly high: PhaseAmps;
}

interface Held {
  amps: [number, number, number];
  readonly recent: { readonly at: number; readonly range: OtherRange }[];
  /** A sudden rise: when it came and the held estimate before it. */
  rise?: { readonly at: number; readonly before: PhaseAmps };
  /** A floor under the estimate while readings are over the fuse: since the first of them, as of the last. */
  floor?: { readonly amps: PhaseAmps; readonly since: number; readonly lastAt: number };
}

export class OtherLoadEstimator {
  private readonly held = new Map<number, Held>();

  constructor(
    private topology: SiteTopology,
    private readonly settings: OtherLoadSettings,
  ) {}

  /** Takes the topology of the site with a connector adopted: its circuits, and so what is held per circuit, stay. */
  useTopology(topology: SiteTopology): void {
    this.topology = topology;
  }

  /** Estimates for every metered circuit whose meter has a fresh valid reading; forgets the others' history. */
  estimate(
    readingOf: (meterId: string) => MeterReading | undefined,
    sessions: readonly [string, RuntimeSession][],
    policy: Policy,
    now: number,
  ): CircuitOtherLoad[] {
    const control = policy.control;
    if (control.mode !== 'dynamic') return [];
    const out: CircuitOtherLoad[] = [];
    const circuits = this.topology.circuitIds.length;
    for (let c = 0; c < circuits; c++) {
      const meterId = this.topology.meterIds[c];
      const reading = meterId === undefined ? undefined : readingOf(meterId);
      if (
        reading === undefined ||
        !reading.valid ||
        reading.at > now ||
        now - reading.at > control.staleMeter.afterSeconds * 1000
      ) {
        this.held.delete(c);
        continue;
      }
      const own = this.ownDraw(c, reading.at, sessions, policy.closedLoop.thresholdAmps);
      const other = (drawn: number[]): PhaseAmps =>
        [0, 1, 2].map((p) => Math.max(0, reading.amps[p as 0] - drawn[p]!)) as unknown as PhaseAmps;
      const range = { low: other(own.high), high: other(own.low) };
      const safeOther = other(own.bound);
      const bandAmps = own.carPhases.map((k) => k * this.settings.bandAmpsPerCarPhase) as unknown as PhaseAmps;
      const noiseAmps = bandAmps.map(
        (band) => Math.max(this.settings.noiseAmps, control.safetyMarginAmps) + band,
      ) as unknown as PhaseAmps;
      this.hold(c, now, range, noiseAmps, own.unseen);
      const floor = this.overFuse(c, reading, other(own.overload));
      const { amps, rise } = this.held.get(c)!;
      // A floor within the noise step of the estimate is the samples' noise, not a car counted wrong.
      const heldAmps = [0, 1, 2].map((p) =>
        floor[p as 0] >= amps[p]! + noiseAmps[p as 0] ? floor[p as 0] : amps[p]!,
      ) as unknown as PhaseAmps;
      const pending = rise !== undefined && now < rise.at + this.settings.confirmMs;
      const floorSince = this.held.get(c)!.floor?.since;
      const floorPending = floorSince !== undefined && now < floorSince + this.settings.confirmMs / 2;
      const confirmAt = Math.min(
        pending ? rise.at + this.settings.confirmMs : Infinity,
        floorPending ? floorSince + this.settings.confirmMs / 2 : Infinity,
      );
      const confirmedAmps = pending ? rise.before : floorPending ? ([amps[0], amps[1], amps[2]] as const) : heldAmps;
      // What a floor proved, once it lasted, is held like any estimate: the first reading under the fuse is our cut
      // landing, not other load falling, and it must not hand the cut back to an estimate that counts cars still
      // following it at their old limit. It falls as any held estimate does.
      if (!floorPending && floorSince !== undefined) {
        const h = this.held.get(c)!;
        for (let p = 0; p < 3; p++) h.amps[p] = heldAmps[p as 0];
      }
      out.push({
        circuit: c,
        heldAmps,
        confirmedAmps,
        confirmAt: confirmAt === Infinity ? undefined : confirmAt,
        safeAmps: safeOther,
        bandAmps,
      });
    }
    return out;
  }

  /**
   * A reading over the circuit's fuse is an overload now: the cut must not rest on a best estimate that counts cars
   * still starting or ramping at more than they draw, or it takes a second cut, a car's response time later. So while
   * readings are over the fuse, the estimate on such a phase is at least `overload`: other load with each car counted
   * at what its samples show it drew at least, except cars following a cut, counted at what they drew when last
   * sampled (no more than they may still draw): they are being cut already, and counting them at their new limit would
   * cut everyone again for nothing. The first reading under the fuse ends it (what it proved stays held: `estimate`). Like a sudden rise, this floor pauses
   * nobody before it lasted half of `confirmMs` (a car ramping up since its last sample is counted low; the samples
   * every car is then asked for come within a second), no longer: the fuse is over now, and a pause still takes a
   * car's response time to land. Returns the floor (zeros when none).
   */
  private overFuse(c: number, reading: MeterReading, overload: PhaseAmps): PhaseAmps {
    const held = this.held.get(c)!;
    // Judged once per reading: every round until the next one sees the same reading.
    if (held.floor !== undefined && reading.at <= held.floor.lastAt) return held.floor.amps;
    const fuse = this.topology.fuseAmps[c]!;
    const over = [0, 1, 2].map((p) => reading.amps[p as 0] > fuse[p as 0]);
    if (!over.some(Boolean)) {
      held.floor = undefined;
      return [0, 0, 0];
    }
    // From the latest reading only: the samples cut cars' chargers are asked for since tell more than the first did.
    const amps = [0, 1, 2].map((p) => (over[p] ? overload[p as 0] : 0)) as unknown as PhaseAmps;
    held.floor = { amps, since: held.floor?.since ?? reading.at, lastAt: reading.at };
    return amps;
  }

  /** The estimates in the allocator's terms: held, or as confirmed, and the band kept free for their error. */
  static forAllocator(
    topology: SiteTopology,
    estimates: readonly CircuitOtherLoad[],
    confirmed = false,
  ): OtherLoadEstimate[] {
    return estimates.map((e) => ({
      circuitId: topology.circuitIds[e.circuit]!,
      amps: confirmed ? e.confirmedAmps : e.heldAmps,
      bandAmps: e.bandAmps,
    }));
  }

  /**
   * Our cars' draw under circuit `c` at instant `t`, per grid phase: the best estimate's range, the lower bound, how
   * much more than the best estimate they may draw unseen (cars counted below their limit), and how many car phases
   * there are (each adds its share to the estimate's error; paused ones too, or a pause would free room for itself).
   */
  private ownDraw(c: number, t: number, sessions: readonly [string, RuntimeSession][], toleranceAmps: number) {
    const high = [0, 0, 0];
    const low = [0, 0, 0];
    const bound = [0, 0, 0];
    const unseen = [0, 0, 0];
    const overload = [0, 0, 0];
    const carPhases = [0, 0, 0];
    for (const [ref, session] of sessions) {
      const index = this.topology.connectorIndex.get(ref);
      if (index === undefined) continue;
      const charger = this.topology.chargers[this.topology.connectors[index]!.chargerIndex]!;
      if (!charger.circuitPath.includes(c)) continue;
      const phases = Math.min(session.phases.value ?? charger.phases, charger.phases);
      const best = session.history.best(t, this.settings.carResponseMs, toleranceAmps, phases);
      const l = session.history.lowerBound(t);
      // A car counted below its limit may have started drawing more since its charger last reported.
      const mayDraw = session.history.mayDraw(t, this.settings.carResponseMs);
      const cutting = mayDraw > session.history.limitAt(t);
      const sample = cutting ? session.history.sampleAt(t) : undefined;
      for (let k = 0; k < charger.phases; k++) {
        const g = charger.gridPhases[k]!;
        high[g]! += best.high[k]!;
        low[g]! += best.low[k]!;
        bound[g]! += l[k]!;
        overload[g]! += cutting ? Math.min(best.high[k]!, sample?.[k as 0] ?? Infinity) : l[k]!;
        if (k < phases) {
          unseen[g]! += Math.max(0, mayDraw - best.high[k]!);
          carPhases[g]! += 1;
        }
      }
    }
    return { high, low, bound, unseen, overload, carPhases };
  }

  /**
   * Holds the estimate, given the range other load is in (while our own cars follow a cut, we cannot tell whether their
   * draw or other load moved). Rises at once when even the range's low end is `noiseAmps` or more above; a rise no
   * larger than what our cars may draw unseen (`unseen`) is unconfirmed for `confirmMs`, and dropped at once if the
   * range's high end comes back within half of `noiseAmps` of the level before (it was our own cars). A smaller rise is
   * left to the safety margin and the band the allocation keeps free (`noiseAmps` is the two together): the estimate
   * lags the truth by less than that, so the fuse still holds; one that lasts `riseMs` by half a release step is taken
   * then (an estimate that started low would otherwise stay low, and the raise gate, on the safe estimate, would hold
   * raises back at a steady load and let them through a tenth of an ampere at a time as samples' noise allows). Falls
   * once the high end stayed `releaseAmps` (or `noiseAmps`, if larger) lower for `releaseMs`, or half that lower for
   * `driftMs`. So neither noise nor our own cuts move the allocation, while a real change does within seconds.
   */
  private hold(c: number, now: number, range: OtherRange, noiseAmps: PhaseAmps, unseen: readonly number[]): void {
    const { releaseMs, driftMs, riseMs } = this.settings;
    const fuse = this.topology.fuseAmps[c]!;
    const releaseOf = (p: number) =>
      Math.max(this.settings.releaseAmps, noiseAmps[p as 0], this.settings.releaseFuseShare * fuse[p as 0]);
    let held = this.held.get(c);
    if (held === undefined) {
      held = { amps: [range.low[0], range.low[1], range.low[2]], recent: [] };
      this.held.set(c, held);
    }
    const recent = held.recent;
    recent.push({ at: now, range });
    // Estimates hold until the next one: keep the one in force when the long window opens.
    while (recent.length > 1 && recent[1]!.at <= now - driftMs) recent.shift();
    const covered = (ms: number) => recent[0]!.at <= now - ms;
    const pending = held.rise;
    // Clearly back (half the step a rise takes: at the same threshold a level right at it would rise and drop in turn).
    if (
      pending !== undefined &&
      [0, 1, 2].every((p) => range.high[p as 0] <= pending.before[p as 0] + noiseAmps[p as 0] / 2)
    ) {
      // Back to the level before, unless a phase really rose meanwhile (by the noise step, as any rise).
      held.amps = [0, 1, 2].map((p) =>
        range.low[p as 0] >= pending.before[p as 0] + noiseAmps[p as 0] ? range.low[p as 0] : pending.before[p as 0],
      ) as [number, number, number];
      held.rise = undefined;
      recent.splice(0, recent.length - 1);
    }
    if (held.rise !== undefined && now >= held.rise.at + this.settings.confirmMs) held.rise = undefined;
    const before: PhaseAmps = [held.amps[0], held.amps[1], held.amps[2]];
    let rose = false;
    for (let p = 0; p < 3; p++) {
      const h = held.amps[p]!;
      let highMax = 0;
      let longHighMax = 0;
      let lowMin = Infinity;
      recent.forEach((r, i) => {
        longHighMax = Math.max(longHighMax, r.range.high[p as 0]);
        const next = recent[i + 1];
        if (next === undefined || next.at > now - riseMs) lowMin = Math.min(lowMin, r.range.low[p as 0]);
        if (next !== undefined && next.at <= now - releaseMs) return;
        highMax = Math.max(highMax, r.range.high[p as 0]);
      });
      if (range.low[p as 0] >= h + noiseAmps[p as 0]) {
        held.amps[p] = range.low[p as 0];
        rose = true;
      } else if (covered(releaseMs) && highMax <= h - releaseOf(p)) held.amps[p] = highMax;
      else if (covered(driftMs) && longHighMax <= h - releaseOf(p) / 2) held.amps[p] = longHighMax;
      else if (covered(riseMs) && lowMin >= h + releaseOf(p) / 2) held.amps[p] = lowMin;
    }
    // Only a rise our own cars could explain (a car drawing more than its charger last said) waits to be confirmed.
    const ours = [0, 1, 2].every((p) => held.amps[p]! - before[p as 0] <= unseen[p]! + noiseAmps[p as 0]);
    if (rose && ours && held.rise === undefined) held.rise = { at: now, before };
  }
}
