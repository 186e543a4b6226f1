/**
 * One round's allocation, from the site runtime to the limits that may go out: other load estimated per metered circuit,
 * peak-demand control's cap, the allocator, pauses held while a rise of other load is unconfirmed, raises gated, boot
 * pauses marked. Its own file so the loop (load-controller.ts) keeps the coordination: state, timers and dispatch.
 */
import type { AllocateFn, Allocation, SiteSnapshot } from '../../shared/allocation/allocation-types';
import { siteTopology, type SiteTopology } from '../../shared/allocation/site-topology';
import type { Policy } from '../../shared/policy/policy-schema';
import type { Site } from '../../shared/site/site-schema';
import type { Clock } from '../platform/clock';
import { markBootPauses } from './boot-pauses';
import type { DemandControl } from './demand-control';
import type { EnforcedLimits } from './enforced-limits';
import { OtherLoadEstimator, type CircuitOtherLoad } from './other-load';
import { OTHER_LOAD_SETTINGS } from './other-load-settings';
import { deferPauses, holdPauses, newlyPaused, reservingMinimum } from './pause-confirmation';
import { gateRaises, raiseRoom } from './raise-gate';
import type { SampleRequests } from './sample-requests';
import type { SiteRuntime } from './site-runtime';

export interface AllocationRoundDeps {
  readonly runtime: SiteRuntime;
  readonly clock: Clock;
  readonly allocate: AllocateFn;
  readonly demand: DemandControl;
  readonly enforced: EnforcedLimits;
  readonly samples: SampleRequests;
  readonly policy: () => Policy;
  /** The allocation the last round put out. */
  readonly previous: () => Allocation | undefined;
  /** Asks for a round after `delayMs`. */
  readonly request: (delayMs: number) => void;
  readonly carResponseMs: number;
}

/** What a round allocated, and whether the raise gate held any raise back. */
export interface RoundAllocation {
  readonly allocation: Allocation;
  readonly raisesHeld: boolean;
}

export class AllocationRound {
  private topology: SiteTopology;
  private readonly otherLoad: OtherLoadEstimator;
  /** The chargers' power cap from peak-demand control for this round (W), when it sets one. */
  private demandCapW: number | undefined;
  private cancelConfirm = (): void => {};

  constructor(private readonly deps: AllocationRoundDeps) {
    this.topology = siteTopology(deps.runtime.site);
    this.otherLoad = new OtherLoadEstimator(this.topology, {
      ...OTHER_LOAD_SETTINGS,
      carResponseMs: deps.carResponseMs,
    });
  }

  /** The grid connection's meter. */
  rootMeterId(): string | undefined {
    return this.topology.meterIds[this.topology.rootIndex];
  }

  /** Builds again what was built from the site, once it changed. */
  useSite(site: Site): void {
    this.topology = siteTopology(site);
    this.otherLoad.useTopology(this.topology);
  }

  /** The allocator's input as a round would take it now (the dashboard's views and previews). */
  snapshot(): SiteSnapshot {
    return this.snapshotWith(this.estimateOtherLoad(this.deps.clock.now()));
  }

  /** Stops waiting for an unconfirmed rise. */
  cancel(): void {
    this.cancelConfirm();
  }

  /** Allocates for `now` under `policy`: what the round sends out. */
  allocate(now: number, policy: Policy): RoundAllocation {
    const { enforced } = this.deps;
    const estimates = this.estimateOtherLoad(now);
    // Whether or not the rise would pause anyone: a rise confirmed without samples was a car's start taken for building
    // load, which then paused that car beside a booting charger's reservation (seed 1322495767).
    if (estimates.some((e) => e.confirmAt !== undefined)) this.deps.samples.duringUnconfirmedRise();
    this.demandCapW = this.deps.demand.chargerCapW(now, this.rootOtherWatts(estimates), policy);
    const target = this.confirmPauses(this.deps.allocate(this.snapshotWith(estimates), policy, now), estimates, now);
    const gated = gateRaises(target, {
      topology: this.topology,
      holding: (_, a) => enforced.holding(a, now),
      room: raiseRoom(this.topology, policy, estimates),
      stepAmps: policy.granularityAmps,
      wholeBelowAmps: policy.hysteresis.stepAmps,
      maxImbalanceAmps: policy.phaseImbalance.maxAmps,
      now,
      previous: this.deps.previous(),
    });
    return { allocation: markBootPauses(gated, this.deps.previous()), raisesHeld: gated !== target };
  }

  /**
   * While a sudden rise of other load is unconfirmed, cars it alone would pause keep their minimum and the others are cut
   * to what is left beside them (every car's charger is asked for fresh samples meanwhile: `allocate`), and a round runs
   * once the rise is confirmed.
   */
  private confirmPauses(allocation: Allocation, estimates: readonly CircuitOtherLoad[], now: number): Allocation {
    const confirmAt = Math.min(...estimates.map((e) => e.confirmAt ?? Infinity));
    const previous = this.deps.previous();
    if (confirmAt === Infinity || previous === undefined || newlyPaused(allocation, previous).length === 0)
      return allocation;
    const policy = this.deps.policy();
    const unpaused = this.deps.allocate(this.snapshotWith(estimates, true), policy, now);
    const { allocation: beside, held } = holdPauses(allocation, unpaused, previous, (pinned) =>
      this.deps.allocate(reservingMinimum(this.snapshotWith(estimates), pinned, this.topology), policy, now),
    );
    if (held.length === 0) return allocation;
    this.cancelConfirm();
    this.cancelConfirm = this.deps.clock.after(Math.max(0, confirmAt - now), () => this.deps.request(0));
    return deferPauses(beside, unpaused, previous, held, this.topology, now);
  }

  private estimateOtherLoad(now: number): CircuitOtherLoad[] {
    return this.otherLoad.estimate(
      (id) => this.deps.runtime.lastValidReading(id),
      this.deps.runtime.sessionsByRef(),
      this.deps.policy(),
      now,
    );
  }

  private snapshotWith(estimates: readonly CircuitOtherLoad[], confirmed = false): SiteSnapshot {
    const now = this.deps.clock.now();
    const { enforced } = this.deps;
    const snapshot = this.deps.runtime.snapshot(
      this.deps.previous(),
      {
        reserved: (chargerId, connectorId) => enforced.reserved(chargerId, connectorId, now),
        unleased: (chargerId) => enforced.newCar(chargerId, now),
      },
      OtherLoadEstimator.forAllocator(this.topology, estimates, confirmed),
    );
    return this.demandCapW === undefined ? snapshot : { ...snapshot, chargerPowerCapW: this.demandCapW };
  }

  /**
   * The grid connection's other load (W), from the best estimate (an average over a period, not an instant's peak: the
   * margin covers its error); undefined while its meter is lost.
   */
  private rootOtherWatts(estimates: readonly CircuitOtherLoad[]): number | undefined {
    const root = estimates.find((e) => e.circuit === this.topology.rootIndex);
    if (root === undefined) return undefined;
    return (root.heldAmps[0] + root.heldAmps[1] + root.heldAmps[2]) * this.deps.runtime.site.nominalVolts;
  }
}
