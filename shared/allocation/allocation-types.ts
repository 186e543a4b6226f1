/** The allocator's input and output. */
import type { Policy } from '../policy/policy-schema';
import type { ConnectorRef } from '../site/connector-ref';
import type { Site } from '../site/site-schema';
import type { ConnectorState, MeterReading } from '../site/site-state';
import type { PhaseAmps } from '../units';

/** Why a connector got what it got. */
export const ALLOCATION_REASONS = [
  /** An equal share of a limit shared with others. */
  'fairShare',
  /** Served first as a VIP. */
  'vip',
  /** Served before lower priority levels. */
  'priority',
  /** At the charger's or cable's maximum. */
  'cappedByCharger',
  /** Closed loop: the car draws less than offered, so it keeps its draw plus a margin. */
  'cappedByCar',
  /** Held back by the phase-imbalance limit. */
  'imbalanceLimited',
  /** A lost meter: the circuit runs on the policy's fail-safe budget. */
  'failSafe',
  /** Kept at its previous value because the change was below the hysteresis step. */
  'hysteresis',
  /** Paused: the budget cannot give every car its minimum. */
  'pausedNoBudget',
  /**
   * Paused while a meter above it is lost and its circuit runs on the fallback budget: the fault paused it, not a
   * choice of the controller's, so it may charge again as soon as the meter is back (no minimum pause to sit out).
   */
  'pausedMeterLost',
  /** Paused so that a car that waited can charge (rotation). */
  'rotatedOut',
  /** Paused and not yet allowed to restart (minimum pause time). */
  'minPauseTime',
  /** The charger does not answer: its last limit is assumed to still be drawn. */
  'unresponsive',
  /** The charger is offline and runs on its fail-safe profile, which is reserved. */
  'offline',
  /**
   * The charger booted and has not accepted its fail-safe default yet: a car plugging in would draw the charger's
   * maximum, which is reserved.
   */
  'unconfigured',
  /** No car wants current here. */
  'idle',
] as const;
export type AllocationReason = (typeof ALLOCATION_REASONS)[number];

/** `active`: charging at `amps` (at least the minimum); `paused`: a car waits at 0 A; `idle`: nothing to do. */
export type ConnectorActivity = 'active' | 'paused' | 'idle';

export interface ConnectorAllocation {
  readonly ref: ConnectorRef;
  readonly chargerId: string;
  readonly connectorId: number;
  /** The per-phase limit for the charger: 0 (paused or idle) or at least the connector's minimum. */
  readonly amps: number;
  /** What that limit means on each grid phase, after phase rotation and the car's phase count. */
  readonly phaseAmps: PhaseAmps;
  /** Phases the car charges on. */
  readonly phases: 1 | 2 | 3;
  readonly activity: ConnectorActivity;
  /** When `activity` last changed (epoch ms), for minimum pause and active times and rotation. */
  readonly since: number;
  /** When `amps` last changed (epoch ms): closed loop only judges measurements taken after it settled. */
  readonly changedAt: number;
  readonly reason: AllocationReason;
  readonly vip: boolean;
  readonly priority: number;
  /**
   * The limit that bound this connector (`budget`, `circuit:<id>:L2`, `charger:<id>:L1`, `imbalance`, or
   * `RAISE_GATE` when the control loop held its raise back), if any.
   */
  readonly boundBy?: string;
  /**
   * Closed loop: the most this car takes (its draw plus the margin), once seen. Kept while something else holds the
   * car below it, so the next raise stops there instead of finding out again.
   */
  readonly carCapAmps?: number;
}

/** Load of one circuit on each grid phase, as allocated. */
export interface CircuitLoad {
  readonly id: string;
  /** What the chargers under this circuit may use now (fuse, or fuse less other load in dynamic mode). */
  readonly limitAmps: PhaseAmps;
  readonly allocatedAmps: PhaseAmps;
  /** Other consumers' load measured under this circuit (dynamic mode). */
  readonly otherLoadAmps?: PhaseAmps;
  readonly meter: 'none' | 'ok' | 'lost';
}

export type BudgetSource = 'static' | 'schedule';

export interface Allocation {
  readonly at: number;
  /** One entry per connector of the site, in site order. */
  readonly connectors: readonly ConnectorAllocation[];
  readonly circuits: readonly CircuitLoad[];
  readonly budget: {
    readonly unit: 'kW' | 'A';
    readonly value: number;
    readonly source: BudgetSource;
    /** The chargers' total power this round under peak-demand control (kW), when it was set (`chargerPowerCapW`). */
    readonly demandKw?: number;
  };
  /** Sum of all connectors' allocations on each grid phase. */
  readonly totalAmps: PhaseAmps;
}

/** Everything the allocator needs besides the policy and the time. */
export interface SiteSnapshot {
  readonly site: Site;
  /** Runtime state per connector; connectors not listed are idle. */
  readonly connectors: readonly ConnectorState[];
  readonly meters: readonly MeterReading[];
  /** The previous allocation, for hysteresis, minimum times, rotation and closed loop. */
  readonly previous?: Allocation;
  /**
   * Other consumers' load per metered circuit as the caller estimated it (the edge agent, from each car's draw at the
   * meter's instant). A circuit not listed gets the meter reading less its connectors' latest measured draw.
   */
  readonly otherLoad?: readonly OtherLoadEstimate[];
  /**
   * What all chargers together may draw this round (W), besides the budget: the room peak-demand control leaves them
   * for the rest of the demand period (edge/control/demand-control.ts).
   */
  readonly chargerPowerCapW?: number;
}

/** Load of a circuit's other consumers on each grid phase. */
export interface OtherLoadEstimate {
  readonly circuitId: string;
  readonly amps: PhaseAmps;
  /** Kept free beside the safety margin for the estimate's own error (edge/control/other-load-settings.ts). */
  readonly bandAmps?: PhaseAmps;
}

export type AllocateFn = (snapshot: SiteSnapshot, policy: Policy, now: number) => Allocation;

/** `boundBy` of a connector whose raise the control loop held back until the measured circuits had room for it. */
export const RAISE_GATE = 'raiseGate';
/**
 * `boundBy` of a car paused while a charger that booted was reserved at its maximum (reason `unconfigured`): that
 * reservation lasts until the charger's fail-safe is confirmed, a round trip or a few, so the car may charge again as
 * soon as there is room, without sitting out `minPauseSeconds`.
 */
export const BOOT_RESERVATION = 'bootReservation';
