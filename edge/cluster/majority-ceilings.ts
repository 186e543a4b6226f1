/**
 * The two-gateway rule (charger-majority.ts) as the allocation's ceilings: while this node may not exceed the
 * fail-safe current, every connector's ceiling is its fail-safe, so the allocation, and every lease it sends, stays
 * there. A node that gains a majority keeps the ceilings for `holdMs` more: the other node may go on counting chargers
 * that moved here until its calls to them fail (a socket left half-open), and the leases it sent above the fail-safe
 * meanwhile may be in force a lease longer (two-gateway-node.ts sizes the hold). (The chargers
 * this node does not hold are offline to its allocation, which reserves their fail-safe: so the site's fuse holds
 * while the majority node gives out the rest.)
 */
import type { ConnectorCeiling, ConnectorCeilings } from '../control/control-ports';
import { mayExceedFailSafe } from './charger-majority';

export interface MajorityCeilingsDeps {
  readonly nodeId: string;
  /** The two gateways in their static order; the first wins a tie. */
  readonly staticOrder: readonly string[];
  /** The ids of the chargers connected to this node now. */
  connectedChargerIds(): Iterable<string>;
  /** The ids of the site's chargers, connected or not. */
  siteChargerIds(): readonly string[];
  /** The fail-safe current per phase (the policy's). */
  failSafeAmps(): number;
  /** How long a majority must have been held before it counts. */
  readonly holdMs: number;
  now(): number;
  readonly log: { info(data: object, message: string): void };
}

export class MajorityCeilings implements ConnectorCeilings {
  /** Since when this node has held a strict majority (or the tie), as seen at the allocation's rounds. */
  private majoritySince: number | undefined;
  /** The answer last given, to log each change once. */
  private exceeding = false;

  constructor(private readonly deps: MajorityCeilingsDeps) {}

  ceiling(_chargerId: string, _connectorId: number, phases: 1 | 2 | 3): ConnectorCeiling | undefined {
    return this.mayExceed() ? undefined : { amps: this.deps.failSafeAmps(), phases };
  }

  /** Whether this node holds a majority now, and has held it for `holdMs`. */
  mayExceed(): boolean {
    const site = new Set(this.deps.siteChargerIds());
    let connectedHere = 0;
    for (const id of this.deps.connectedChargerIds()) if (site.has(id)) connectedHere += 1;
    const { nodeId, staticOrder } = this.deps;
    const now = this.deps.now();
    if (!mayExceedFailSafe({ nodeId, staticOrder, connectedHere, siteChargers: site.size }))
      this.majoritySince = undefined;
    else this.majoritySince ??= now;
    const exceeding = this.majoritySince !== undefined && now - this.majoritySince >= this.deps.holdMs;
    if (exceeding !== this.exceeding)
      this.deps.log.info(
        { connectedHere, siteChargers: site.size },
        exceeding
          ? 'charger majority: chargers may exceed the fail-safe'
          : 'no charger majority: chargers at the fail-safe',
      );
    this.exceeding = exceeding;
    return exceeding;
  }
}
