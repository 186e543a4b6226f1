/**
 * Every takeover as a cloud event (`cluster.failover`) through the agent's durable outbox: this node serving as master
 * in a new term (after its rebuild from the ledger, when the virtual address may come to it), and each fence. Each
 * node reports its own side, so the fleet sees both halves of a takeover even when one gateway was cut off (its
 * outbox keeps the event until it is back). A LeadershipListener beside keepalived's flag file: synchronous, never
 * throws (a full outbox is the outbox's to report).
 */
import { fenceReasonOf } from '../../shared/cluster-fence-messages';
import { eventSaid } from '../../shared/sync/event-reasons';
import type { EventBody } from '../../shared/sync/sync-messages';
import type { LeaderTerm, LeadershipListener } from './leadership';

export interface TakeoverSink {
  enqueue(stream: 'events', body: EventBody, at?: number): unknown;
}

/** The event of this node serving as master in `term`. */
export function electedEventBody(nodeId: string, term: string): EventBody {
  return {
    ...eventSaid('cluster.failover', 'siteEvent.master', { node: nodeId, term }),
    severity: 'warning',
    details: { nodeId, term, role: 'master' },
  };
}

/**
 * The event of this node fenced out of `term`, with the agent's reason: said by its reason (shared/cluster-fence-messages.ts)
 * so the console says it in the page's language; the whole text, a driver's cause included, in the details.
 */
export function fencedEventBody(nodeId: string, term: string, reason: string): EventBody {
  const known = fenceReasonOf(reason);
  const said = known === undefined ? reason.slice(0, 300) : { ref: `clusterFence.${known}` as const };
  return {
    ...eventSaid('cluster.failover', 'siteEvent.fenced', { node: nodeId, term, reason: said }),
    severity: 'warning',
    details: { nodeId, term, role: 'fenced', reason: reason.slice(0, 500) },
  };
}

/**
 * The event of a gateway without a witness gaining or losing the right to give more than the fail-safe (a strict
 * majority of the site's chargers, held for two leases; majority-ceilings.ts): the two-gateway mode's takeover, which
 * has no term (`details.mayExceedFailSafe` says which way).
 */
export function majorityEventBody(
  nodeId: string,
  mayExceedFailSafe: boolean,
  counted: { readonly countedChargers: number; readonly siteChargers: number },
): EventBody {
  const { countedChargers, siteChargers } = counted;
  const params = { node: nodeId, counted: countedChargers, site: siteChargers };
  return {
    ...eventSaid('cluster.majority', mayExceedFailSafe ? 'siteEvent.majorityGained' : 'siteEvent.majorityLost', params),
    severity: 'warning',
    details: { nodeId, mayExceedFailSafe, countedChargers, siteChargers },
  };
}

export class TakeoverReport implements LeadershipListener {
  private sink: TakeoverSink | undefined;

  constructor(
    private readonly nodeId: string,
    private readonly now: () => number,
  ) {}

  /** The outbox, once the agent has built it (an agent without a cloud link has none). */
  sendTo(sink: TakeoverSink | undefined): void {
    this.sink = sink;
  }

  elected(term: LeaderTerm): void {
    this.sink?.enqueue('events', electedEventBody(this.nodeId, term.term), this.now());
  }

  fenced(event: { readonly term: string; readonly reason: string }): void {
    this.sink?.enqueue('events', fencedEventBody(this.nodeId, event.term, event.reason), this.now());
  }
}
