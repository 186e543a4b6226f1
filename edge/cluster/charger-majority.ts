/**
 * The two-gateway rule, for a cluster without a witness (no etcd quorum, so no node can prove it is the only
 * master): a node may hand out more than the fail-safe current only while it holds a strict majority of the site's
 * chargers. A charger connects to one central system at a time, so two nodes cannot both hold a strict majority; a
 * tie (exactly half each) goes to the node first in the static order. Each node decides from what it knows alone: how
 * many of the site's chargers are connected to it now and count (`countsTowardMajority` below: a socket left half-open
 * by a charger that moved away shows it connected to both), and how many chargers the site has in its configuration
 * (never how many are connected somewhere: chargers a node cannot see may be connected to the other one).
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

/**
 * How a node decides that a charger connected to it counts (docs/cluster.md, "Counting only chargers heard"): its
 * connection answered one of our WebSocket pings sent within `heardWithinMs`, and has been open for `connectedForMs`.
 * A charger has one connection at a time; a connection that answered a ping sent at p was alive from its opening
 * until after p. So if two nodes counted one charger at the same instant t, both connections would have been alive at
 * t - connectedForMs, as long as connectedForMs >= heardWithinMs: no instant at which two nodes count one charger, so
 * no instant at which both hold a strict majority, however often chargers move, and whatever a half-open socket
 * left behind on the other node still shows.
 */
export interface CountingBounds {
  readonly heardWithinMs: number;
  readonly connectedForMs: number;
}

/** The bounds for a central system pinging every `pingIntervalMs`, checked at most `maxCheckGapMs` apart. */
export function countingBounds(pingIntervalMs: number, maxCheckGapMs: number): CountingBounds {
  // A live connection answers each ping before the next leaves (else ocpp-rpc closes it), so some ping sent within
  // two intervals has always been answered. The wait on arrival adds the checks' gap: a majority is taken as held
  // across checks, and the other node's majority must not fit between two of them.
  const heardWithinMs = 2 * pingIntervalMs;
  return { heardWithinMs, connectedForMs: heardWithinMs + maxCheckGapMs };
}

/** Whether a charger's connection counts towards this node's majority at `now`. */
export function countsTowardMajority(
  connection: { readonly openedAt: number; readonly answeredPingAt: number | undefined },
  now: number,
  bounds: CountingBounds,
): boolean {
  return (
    connection.openedAt <= now - bounds.connectedForMs &&
    connection.answeredPingAt !== undefined &&
    connection.answeredPingAt >= now - bounds.heardWithinMs
  );
}
