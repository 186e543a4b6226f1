/**
 * Static election: the nodes have an order, and a node campaigns only while every node before it is unhealthy (its
 * presence key is gone, node-presence.ts). Among the nodes that campaign, etcd's election picks the oldest candidate,
 * as in dynamic election. The order chooses only who campaigns, never who is deposed: a master keeps leading when a
 * node before it comes back (no pre-emption, so no flapping); the node that came back campaigns behind it and is the
 * next master, while a candidate after it withdraws.
 */
export interface Candidacy {
  /** Whether this node may campaign now. */
  allowed(): Promise<boolean>;
}

export class StaticCandidacy implements Candidacy {
  private readonly before: readonly string[];

  constructor(
    private readonly presence: { healthy(): Promise<Set<string>> },
    order: readonly string[],
    nodeId: string,
  ) {
    this.before = order.slice(0, Math.max(0, order.indexOf(nodeId)));
  }

  async allowed(): Promise<boolean> {
    if (this.before.length === 0) return true;
    const healthy = await this.presence.healthy();
    return this.before.every((node) => !healthy.has(node));
  }
}
