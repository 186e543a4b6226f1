/** A Leadership in this test process with its own etcd client, recording what it was told. */
import { randomUUID } from 'node:crypto';
import type { Etcd3 } from 'etcd3';
import { createEtcdClient } from '../../../../edge/cluster/etcd-client';
import { type LeaderTerm, Leadership, type LeadershipListener } from '../../../../edge/cluster/leadership';
import { LeaderLedger } from '../../../../edge/cluster/leader-ledger';
import { NodePresence } from '../../../../edge/cluster/node-presence';
import { StaticCandidacy } from '../../../../edge/cluster/static-candidacy';
import { systemClock } from '../../../../edge/platform/clock';
import { ConditionWaiters } from '../../../support/condition-waiters';

export interface NodeSettings {
  readonly endpoints: readonly string[];
  readonly electionName: string;
  readonly ledgerPrefix: string;
  readonly ttlSeconds: number;
  readonly fenceMarginMs: number;
  /** Static election in this order (the presence keys under `presencePrefix`); absent, dynamic. */
  readonly staticOrder?: readonly string[];
  readonly presencePrefix?: string;
}

/** Settings for nodes of a site of their own (fresh key prefixes under a random site id) on `endpoints`. */
export function siteSettings(
  endpoints: readonly string[],
  ttlSeconds: number,
  staticOrder?: readonly string[],
): NodeSettings {
  const site = randomUUID();
  return {
    endpoints,
    electionName: `${site}/leader`,
    ledgerPrefix: `${site}/ledger/`,
    ttlSeconds,
    fenceMarginMs: 300,
    ...(staticOrder && { presencePrefix: `${site}/presence/`, staticOrder }),
  };
}

export class RecordedNode {
  readonly client: Etcd3;
  readonly leadership: Leadership;
  readonly ledger: LeaderLedger;
  /** This node's health key (static election reads the others'). */
  readonly presence: NodePresence;
  readonly terms: LeaderTerm[] = [];
  readonly fences: { term: string; reason: string }[] = [];
  private readonly waiters = new ConditionWaiters();

  constructor(
    readonly nodeId: string,
    readonly settings: NodeSettings,
    /** Told too, after the recording (e.g. a LeaderFlagFile). */
    also?: LeadershipListener,
  ) {
    // The agent's own client (a deadline per attempt, the breaker per member), with the lease's TTL as its call timeout.
    this.client = createEtcdClient(settings.endpoints, settings.ttlSeconds * 1000);
    this.presence = new NodePresence(
      this.client,
      settings.presencePrefix ?? `${settings.electionName}/presence/`,
      nodeId,
      { ttlSeconds: settings.ttlSeconds, renewEveryMs: (settings.ttlSeconds * 1000) / 3 },
      systemClock,
    );
    const order = settings.staticOrder;
    this.leadership = new Leadership({
      ...(order && { candidacy: new StaticCandidacy(this.presence, order, nodeId) }),
      client: this.client,
      electionName: settings.electionName,
      nodeId,
      ttlSeconds: settings.ttlSeconds,
      fenceMarginMs: settings.fenceMarginMs,
      clock: systemClock,
      listener: {
        elected: (term) => {
          this.terms.push(term);
          also?.elected(term);
          this.waiters.changed();
        },
        fenced: (event) => {
          this.fences.push(event);
          also?.fenced(event);
          this.waiters.changed();
        },
      },
    });
    this.ledger = new LeaderLedger(this.client, this.leadership, settings.ledgerPrefix);
  }

  /** True while the node leads (checked against its deadline). */
  get leading(): boolean {
    return this.leadership.current() !== undefined;
  }

  /** Resolves once the node has been elected `count` times in all. */
  electedTimes(count: number, timeoutMs: number): Promise<void> {
    return this.waiters.until(
      `${this.nodeId} elected ${count} times`,
      () => this.terms.length >= count,
      timeoutMs,
      () => JSON.stringify({ terms: this.terms, fences: this.fences }),
    );
  }

  /** Resolves once the node has been fenced `count` times in all. */
  fencedTimes(count: number, timeoutMs: number): Promise<void> {
    return this.waiters.until(
      `${this.nodeId} fenced ${count} times`,
      () => this.fences.length >= count,
      timeoutMs,
      () => JSON.stringify({ terms: this.terms, fences: this.fences }),
    );
  }

  async close(): Promise<void> {
    await this.leadership.stop();
    await this.presence.stop();
    this.client.close();
  }
}
