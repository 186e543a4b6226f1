/**
 * The two-gateway rule (charger-majority.ts) as the allocation's ceilings: while this node may not exceed the
 * fail-safe current, every connector's ceiling is its fail-safe, so the allocation, and every lease it sends, stays
 * there. A node that gains a majority keeps the ceilings for one lease duration more: the other node may have sent
 * leases above the fail-safe while it still counted these chargers, and they may be in force that long. (The chargers
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
  /** How long a lease lasts: a majority must have been held this long before it counts. */
  readonly holdMs: number;
  now(): number;
}

export class MajorityCeilings implements ConnectorCeilings {
  /** Since when this node has held a strict majority (or the tie), as seen at the allocation's rounds. */
  private majoritySince: number | undefined;

  constructor(private readonly deps: MajorityCeilingsDeps) {}

  ceiling(_chargerId: string, _connectorId: number, phases: 1 | 2 | 3): ConnectorCeiling | undefined {
    return this.mayExceed() ? undefined : { amps: this.deps.failSafeAmps(), phases };
  }

  /** Whether this node holds a majority now, and has held it for a lease's duration. */
  mayExceed(): boolean {
    const site = new Set(this.deps.siteChargerIds());
    let connectedHere = 0;
    for (const id of this.deps.connectedChargerIds()) if (site.has(id)) connectedHere += 1;
    const { nodeId, staticOrder } = this.deps;
    if (!mayExceedFailSafe({ nodeId, staticOrder, connectedHere, siteChargers: site.size })) {
      this.majoritySince = undefined;
      return false;
    }
    const now = this.deps.now();
    this.majoritySince ??= now;
    return now - this.majoritySince >= this.deps.holdMs;
  }
}
