/**
 * A cluster node's health as the fleet knows it (docs/cluster.md, "In the fleet console"): from the latest of what it
 * said of itself in its telemetry (its figures, shared/sync/cluster-figures.ts) and what the other nodes said of it
 * (present in etcd, its OCPP port reachable), whichever is latest; and when it was last heard of.
 */
import type { ClusterFigures } from '../sync/cluster-figures';

/** A node not heard of for longer than this (thirty default telemetry intervals) is marked stale. */
export const CLUSTER_STALE_AFTER_MS = 5 * 60_000;

export type ClusterNodeHealth = 'healthy' | 'unhealthy' | 'unknown';

/** A node's latest telemetry figures, and when it made them. */
export interface ClusterHealthReport {
  readonly at: number;
  readonly figures: ClusterFigures;
}

interface Observation {
  readonly at: number;
  readonly health: ClusterNodeHealth;
}

/** What a node's own figures say of it: without etcd's quorum a node on etcd cannot lead. */
function ownObservation({ at, figures }: ClusterHealthReport): Observation {
  return { at, health: figures.etcdReachable === false ? 'unhealthy' : 'healthy' };
}

/** What another node's figures say of `nodeId`: undefined when they do not name it, or know nothing of it. */
function peerObservation(nodeId: string, { at, figures }: ClusterHealthReport): Observation | undefined {
  const peer = figures.peers.find((p) => p.nodeId === nodeId);
  if (peer === undefined) return undefined;
  if (peer.present === true || peer.reachable === true) return { at, health: 'healthy' };
  if (peer.present === false || peer.reachable === false) return { at, health: 'unhealthy' };
  return undefined;
}

/** `nodeId`'s health by the latest observation of it (unknown without one), and when it was last heard of. */
export function clusterNodeHealth(
  nodeId: string,
  reports: readonly ClusterHealthReport[],
  ownEventAt: number | undefined,
): { health: ClusterNodeHealth; lastHeard: number | null } {
  const own = reports.find((r) => r.figures.nodeId === nodeId);
  const observations = [
    ...(own ? [ownObservation(own)] : []),
    ...reports.flatMap((r) => (r === own ? [] : (peerObservation(nodeId, r) ?? []))),
  ];
  const latest = observations.reduce<Observation | undefined>(
    (a, b) => (a === undefined || b.at > a.at ? b : a),
    undefined,
  );
  const heard = [
    own?.at,
    ownEventAt,
    ...reports.map((r) => (r === own ? undefined : r.figures.peers.find((p) => p.nodeId === nodeId)?.lastSeenAt)),
  ].filter((at): at is number => typeof at === 'number');
  return { health: latest?.health ?? 'unknown', lastHeard: heard.length === 0 ? null : Math.max(...heard) };
}
