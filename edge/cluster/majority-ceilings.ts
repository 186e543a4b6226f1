/**
 * The two-gateway rule (charger-majority.ts) as the allocation's ceilings: while this node may not exceed the
 * fail-safe current, every connector's ceiling is its fail-safe, so the allocation, and every lease it sends, stays
 * there. Only chargers that count (heard lately, connected long enough: `countsTowardMajority`) make the majority, so
 * two nodes never hold one at the same instant. A node that gains a majority keeps the ceilings for `holdMs` more:
 * the leases the other node sent above the fail-safe while it held its majority may still be in force
 * (two-gateway-node.ts sizes the hold). A majority counts as held only across checks at most `maxCheckGapMs` apart
 * (the recount and the allocation's rounds): a longer gap (a stalled process) starts the hold again, since the other
 * node might have held a majority in between. (The chargers this node does not hold are offline to its allocation,
 * which reserves their fail-safe: so the site's fuse holds while the majority node gives out the rest.)
 */
import type { TwoGatewayNodeStatus } from '../../shared/dashboard/cluster-answer';
import type { ConnectorCeiling, ConnectorCeilings } from '../control/control-ports';
import type { ConnectionLiveness } from '../ocpp/charger-connections';
import { type CountingBounds, countsTowardMajority, mayExceedFailSafe } from './charger-majority';

export interface MajorityCeilingsDeps {
  readonly nodeId: string;
  /** The two gateways in their static order; the first wins a tie. */
  readonly staticOrder: readonly string[];
  /** The chargers connected to this node now, with what is known of their connections being alive. */
  connectedChargers(): Iterable<ConnectionLiveness>;
  /** The ids of the site's chargers, connected or not. */
  siteChargerIds(): readonly string[];
  /** The fail-safe current per phase (the policy's). */
  failSafeAmps(): number;
  /** Which connected chargers count (charger-majority.ts). */
  readonly counting: CountingBounds;
  /** How long a majority must have been held before it counts. */
  readonly holdMs: number;
  /** The longest gap between two checks across which a majority still counts as held. */
  readonly maxCheckGapMs: number;
  now(): number;
  readonly log: { info(data: object, message: string): void };
  /** Told each time the answer changes (the cloud link follows it). */
  readonly onChange?: (exceeding: boolean) => void;
}

export class MajorityCeilings implements ConnectorCeilings {
  /** Since when this node has held a strict majority (or the tie), as seen at the checks. */
  private majoritySince: number | undefined;
  private lastCheck: number | undefined;
  /** The answer last given, to log each change once. */
  private exceeding = false;
  /** What the last check counted. */
  private counted = { countedChargers: 0, siteChargers: 0, holdsMajority: false };

  constructor(private readonly deps: MajorityCeilingsDeps) {}

  ceiling(_chargerId: string, _connectorId: number, phases: 1 | 2 | 3): ConnectorCeiling | undefined {
    return this.mayExceed() ? undefined : { amps: this.deps.failSafeAmps(), phases };
  }

  /** Whether this node holds a majority now, and has held it for `holdMs`. */
  mayExceed(): boolean {
    const { nodeId, staticOrder, counting, maxCheckGapMs } = this.deps;
    const now = this.deps.now();
    const site = new Set(this.deps.siteChargerIds());
    let connectedHere = 0;
    for (const connection of this.deps.connectedChargers())
      if (site.has(connection.chargerId) && countsTowardMajority(connection, now, counting)) connectedHere += 1;
    const unseenGap = this.lastCheck !== undefined && now - this.lastCheck > maxCheckGapMs;
    this.lastCheck = now;
    const majority = mayExceedFailSafe({ nodeId, staticOrder, connectedHere, siteChargers: site.size });
    if (!majority || unseenGap) this.majoritySince = undefined;
    if (majority) this.majoritySince ??= now;
    const exceeding = this.majoritySince !== undefined && now - this.majoritySince >= this.deps.holdMs;
    // Before the change is told: its listener reports this check's count.
    this.counted = { countedChargers: connectedHere, siteChargers: site.size, holdsMajority: majority };
    if (exceeding !== this.exceeding) {
      this.deps.log.info(
        { connectedHere, siteChargers: site.size },
        exceeding
          ? 'charger majority: chargers may exceed the fail-safe'
          : 'no charger majority: chargers at the fail-safe',
      );
      this.exceeding = exceeding;
      this.deps.onChange?.(exceeding);
    }
    return exceeding;
  }

  /** What the last check found (read only: it counts nothing). */
  status(): Pick<
    TwoGatewayNodeStatus,
    'countedChargers' | 'siteChargers' | 'holdsMajority' | 'mayExceedFailSafe' | 'majoritySince' | 'checkedAt'
  > {
    return {
      ...this.counted,
      mayExceedFailSafe: this.exceeding,
      majoritySince: this.majoritySince ?? null,
      checkedAt: this.lastCheck ?? null,
    };
  }
}
