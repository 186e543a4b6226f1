/**
 * The allocation engine: `(site snapshot, policy, now) -> allocation`, deterministic, with its caches held in an
 * explicit allocator object owned by whoever allocates (the control loop, a preview, the installer command, a test)
 * rather than in module state.
 *
 * The caches are keyed by the identity of the site and policy objects. That is sound because `Site`, `Policy` and
 * `SiteSnapshot` are deeply readonly types: an input cannot change without becoming a new object, and a new object
 * misses every cache. (A caller that casts the readonly away and edits in place is outside that contract.)
 */
import type { Policy } from '../policy/policy-schema';
import type { Site } from '../site/site-schema';
import type { AllocateFn, Allocation, SiteSnapshot } from './allocation-types';
import { buildAllocation, PhaseVectors } from './allocation-output';
import { chooseAndFill } from './choose-and-fill';
import { classGroups } from './class-fill';
import { connectorDemand, priorityLookup, type PriorityLookup } from './connector-demand';
import { constraintLimits } from './constraint-limits';
import { ConstraintSetCache, type ConstraintLayout } from './constraint-set';
import { balancedTopUp } from './balanced-top-up';
import { applyHysteresis } from './hysteresis';
import { admitLate } from './late-admission';
import { KeptRounds } from './previous-round';
import { siteModel, type SiteModel } from './site-model';
import { chooseAndFillStrict } from './strict-priority';
import { topUp } from './top-up';
import { FillWorkspace } from './fill-workspace';

/**
 * Top-ups under an imbalance limit, each after the trades of the one before. Trades level cars and top-ups only add
 * steps, so this ends on its own; the bound keeps a round's cost predictable.
 */
const TRADE_ROUNDS = 4;

/** The allocation engine and its caches: one per owner, each round through `allocate`. */
export class Allocator {
  private model: SiteModel | undefined;
  private priorities: { readonly policy: Policy; readonly lookup: PriorityLookup } | undefined;
  private workspace: FillWorkspace | undefined;
  private readonly sets = new ConstraintSetCache();
  private readonly rounds = new KeptRounds();
  private readonly vectors = new PhaseVectors();

  /** This allocator's model of `site`: the one it has when `site` is the same object, else a new one. */
  private modelOf(site: Site): SiteModel {
    if (this.model?.site !== site) this.model = siteModel(site);
    return this.model;
  }

  /**
   * Decides every connector's current on every phase so that no circuit fuse, charger limit, budget or
   * phase-imbalance limit is exceeded: pause whom the minimums do not fit, water-fill by class, balance phases,
   * hand out rounding leftovers, then hold small changes back (hysteresis).
   */
  allocate(snapshot: SiteSnapshot, policy: Policy, now: number): Allocation {
    const model = this.modelOf(snapshot.site);
    const { topology, layout } = model;
    const previous = this.rounds.of(topology, snapshot.previous);
    const demand = connectorDemand(topology, snapshot.connectors, previous, policy, this.priorityLookup(policy), now);
    const limits = constraintLimits(
      snapshot.site,
      topology,
      layout,
      demand,
      snapshot.meters,
      policy,
      now,
      snapshot.otherLoad,
      snapshot.chargerPowerCapW,
    );
    const { capacity } = limits;
    const set = this.sets.for(topology, demand, layout, capacity);
    const ws = this.workspaceFor(capacity.length, demand.n);
    const strict = policy.distribution === 'priorityStrict';
    const { selection, fill, limited, groups } = (strict ? chooseAndFillStrict : chooseAndFill)(
      ws,
      demand,
      set,
      layout,
      capacity,
      policy,
      now,
    );
    const { active } = selection;
    // Each class was topped up after its fill; steps freed by phase balancing (or, in strict mode, by lower classes
    // rising on the light phases) are handed out here.
    const balanced = limited.includes(1);
    if (policy.phaseImbalance.maxAmps !== null && (balanced || imbalanceBound(layout, fill.boundBy, active))) {
      // A trade moves load between phases, and under a kW budget frees power (a 3-phase car's step costs more than a
      // 2-phase car's): waiting cars get their minimum first, then everyone what is left. The last top-up trades no
      // more, so what a trade freed is always handed out.
      for (let round = 1, members = groups; ; round++) {
        if (
          !balancedTopUp(demand, set, layout, capacity, fill.used, members, active, fill, policy, round < TRADE_ROUNDS)
        )
          break;
        admitLate(demand, set, capacity, fill.used, active, fill.steps, selection.pauseReason);
        members = classGroups(demand, active);
      }
    } else if (strict || balanced)
      for (const members of groups)
        topUp(
          demand,
          set,
          capacity,
          fill.used,
          members.filter((i) => active[i]),
          fill,
        );
    const held = applyHysteresis(demand, set, capacity, fill.used, active, fill.steps, fill.boundBy, policy, now);
    const outcome = {
      active,
      steps: fill.steps,
      boundBy: fill.boundBy,
      pauseReason: selection.pauseReason,
      balanced: limited,
      held,
    };
    const { allocation, round } = buildAllocation(model, demand, limits, outcome, policy, now, this.vectors);
    this.rounds.keep(allocation, topology, round);
    return allocation;
  }

  private priorityLookup(policy: Policy): PriorityLookup {
    if (this.priorities?.policy !== policy) this.priorities = { policy, lookup: priorityLookup(policy) };
    return this.priorities.lookup;
  }

  /** Scratch arrays of this size: the last ones when they fit (a round has no await inside, so rounds never overlap). */
  private workspaceFor(constraints: number, connectors: number): FillWorkspace {
    if (!this.workspace?.fits(constraints, connectors)) this.workspace = new FillWorkspace(constraints, connectors);
    return this.workspace;
  }
}

/** A new allocator, as a function: for owners that pass it on as an `AllocateFn`. */
export function createAllocator(): AllocateFn {
  const allocator = new Allocator();
  return (snapshot, policy, now) => allocator.allocate(snapshot, policy, now);
}

/** One round with a throwaway allocator: for one-off callers, where nothing could be reused anyway. */
export function allocate(snapshot: SiteSnapshot, policy: Policy, now: number): Allocation {
  return new Allocator().allocate(snapshot, policy, now);
}

/** True when an imbalance cap stopped some active car: only then can the imbalance as it is leave it room the caps did not. */
function imbalanceBound(layout: ConstraintLayout, boundBy: Int32Array, active: Uint8Array): boolean {
  for (let i = 0; i < boundBy.length; i++)
    if (active[i] && boundBy[i]! >= layout.imbalanceBase && boundBy[i]! < layout.imbalanceBase + 3) return true;
  return false;
}
