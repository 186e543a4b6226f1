/**
 * The two-gateway rule, for a cluster without a witness (no etcd quorum, so no node can prove it is the only
 * master): a node may hand out more than the fail-safe current only while it holds a strict majority of the site's
 * chargers. A charger connects to one central system at a time, so two nodes cannot both hold a strict majority; a
 * tie (exactly half each) goes to the node first in the static order. Each node decides from what it knows alone: how
 * many of the site's chargers are connected to it now, and how many chargers the site has in its configuration (never
 * how many are connected somewhere: chargers a node cannot see may be connected to the other one).
 */

/** True when `nodeId`, with `connectedHere` of the site's `siteChargers` chargers, may exceed the fail-safe current. */
export function mayExceedFailSafe(rule: {
  readonly nodeId: string;
  /** The cluster's nodes in their static order; the first wins a tie. */
  readonly staticOrder: readonly string[];
  readonly connectedHere: number;
  /** Every charger of the site's configuration, connected or not. */
  readonly siteChargers: number;
}): boolean {
  const { nodeId, staticOrder, connectedHere, siteChargers } = rule;
  if (connectedHere <= 0 || connectedHere > siteChargers) return false;
  if (connectedHere * 2 > siteChargers) return true;
  return connectedHere * 2 === siteChargers && staticOrder[0] === nodeId;
}
