/**
 * This node's bid for leadership of the site's cluster: an etcd3 Election campaign on a lease. The node's term (its
 * fencing token) is the create revision of its candidate key: etcd revisions only grow, so every later leader has a
 * higher term, and a write made conditional on "my key still has this create revision" fails once the key is gone.
 *
 * The node self-fences, that is it stops acting as leader and says so (`fenced`), when etcd3 reports the lease lost,
 * when a conditional write finds it deposed, and when its local deadline passes (fence-deadline.ts); every leader
 * action calls `assertLeading` first, which checks that deadline against the clock, so a process that wakes from a
 * SIGSTOP longer than its lease finds itself fenced before it sends anything. A fenced node resigns (etcd deletes its
 * key at once when it can still reach etcd) and campaigns again with a new lease, so a later term may be its own again.
 */
import { type Campaign, type Etcd3, EtcdLeaseInvalidError } from 'etcd3';
import type { Clock } from '../platform/clock';
import { fenceText } from '../../shared/cluster-fence-messages';
import { AppError } from '../../shared/errors';
import { campaignLease } from './campaign-lease';
import { FenceDeadline } from './fence-deadline';
import { LeaseRenewal } from './lease-renewal';
import type { Candidacy } from './static-candidacy';

/** What a leader proves its leadership with: its candidate key and that key's create revision. */
export interface LeaderTerm {
  /** The create revision of the candidate key, as etcd's decimal int64 string. */
  readonly term: string;
  /** The candidate key, in full (with the election's prefix). */
  readonly key: string;
}

/** Told when this node starts and stops leading. */
export interface LeadershipListener {
  elected(term: LeaderTerm): void;
  /** The node must stop serving as master now (stop OCPP calls, release the virtual address). */
  fenced(event: { readonly term: string; readonly reason: string }): void;
}

export interface LeadershipOptions {
  readonly client: Etcd3;
  /** The election's name; every node of one site must use the same one. */
  readonly electionName: string;
  /** The value this node campaigns with (what observers see as the leader). */
  readonly nodeId: string;
  readonly ttlSeconds: number;
  /** How long before the lease can have expired at etcd the node stops acting as leader. */
  readonly fenceMarginMs: number;
  /**
   * How often the node renews its lease (cluster.leaseRenewalMs); a third of the TTL when absent. A master must outlast
   * an etcd leader election between two renewals: the TTL less the margin less this (docs/cluster.md, "Self-fencing").
   */
  readonly renewEveryMs?: number;
  readonly clock: Clock;
  readonly listener: LeadershipListener;
  /**
   * Static election (static-candidacy.ts): the node campaigns only while this allows it, and a candidate that is not
   * leading withdraws once it no longer does. Absent: dynamic election, the node always campaigns.
   */
  readonly candidacy?: Candidacy;
}

type State =
  | { readonly kind: 'campaigning' }
  | { readonly kind: 'leading'; readonly term: LeaderTerm }
  | { readonly kind: 'stopped' };

export class Leadership {
  private state: State = { kind: 'stopped' };
  private campaign: Campaign | undefined;
  private renewal: LeaseRenewal | undefined;
  private readonly deadline;
  private cancelFenceCheck = () => {};
  private cancelRetry = () => {};

  constructor(private readonly options: LeadershipOptions) {
    this.deadline = new FenceDeadline(options.ttlSeconds, options.fenceMarginMs);
  }

  /** Starts campaigning; `listener.elected` is called once this node leads. */
  start(): void {
    if (this.state.kind !== 'stopped') return;
    this.campaignAgain();
  }

  /** The term this node leads in, checked against the local deadline now; undefined when it does not lead. */
  current(): LeaderTerm | undefined {
    if (this.state.kind !== 'leading') return undefined;
    if (this.deadline.passed(this.options.clock.now())) {
      this.fence(fenceText('deadlinePassed'));
      return undefined;
    }
    return this.state.term;
  }

  /** The term to act in; throws (and fences, when the deadline has passed) when this node may not act as leader. */
  assertLeading(): LeaderTerm {
    const term = this.current();
    if (term === undefined) throw new AppError('resource.conflict', 'this node does not lead the cluster');
    return term;
  }

  /** A write conditional on `term` was refused by etcd: another node leads, so this one stops at once. */
  deposed(term: LeaderTerm): void {
    this.stepDown(term, fenceText('writeRefused'));
  }

  /** This node cannot serve in `term` (e.g. it could not rebuild its state): it stops leading and campaigns again. */
  stepDown(term: LeaderTerm, reason: string): void {
    if (this.state.kind === 'leading' && this.state.term.term === term.term) this.fence(reason);
  }

  /** Stops campaigning and leading; resigns so that another node can lead at once. */
  async stop(): Promise<void> {
    const wasLeading = this.state.kind === 'leading' ? this.state.term : undefined;
    this.state = { kind: 'stopped' };
    if (wasLeading !== undefined) this.options.listener.fenced({ term: wasLeading.term, reason: fenceText('stopped') });
    await this.dropCampaign();
  }

  private campaignAgain(): void {
    this.state = { kind: 'campaigning' };
    this.deadline.reset();
    const candidacy = this.options.candidacy;
    if (candidacy === undefined) return this.openCampaign();
    const waiting = () => this.state.kind === 'campaigning' && this.campaign === undefined;
    candidacy.allowed().then(
      (allowed) => {
        if (!waiting()) return;
        if (allowed) this.openCampaign();
        // Waiting for an earlier node's presence to go: ask again soon, since that is when the site has no master (a
        // range read of the presence keys; a third of the TTL here added up to 2 s to every static takeover).
        else this.restartLater((this.options.ttlSeconds * 1000) / 12);
      },
      () => {
        if (waiting()) this.restartLater();
      },
    );
  }

  private openCampaign(): void {
    const campaign = this.options.client
      .election(this.options.electionName, this.options.ttlSeconds)
      .campaign(this.options.nodeId);
    this.campaign = campaign;
    this.renewal = this.renewalOf(campaign);
    campaign.on('elected', () => {
      if (this.campaign === campaign) this.onElected(campaign).catch((error: unknown) => this.onError(campaign, error));
    });
    campaign.on('error', (error) => this.onError(campaign, error));
    this.renewal.start(0);
  }

  /**
   * The campaign's lease renewed by this node (lease-renewal.ts), each confirmed keepalive moving the fence deadline from
   * when it left; etcd3's own renewal loop keeps running beside it, which only makes the real expiry later. A lost lease
   * is reported by etcd3 as the campaign's error.
   */
  private renewalOf(campaign: Campaign): LeaseRenewal {
    return new LeaseRenewal({
      lease: campaignLease(campaign),
      clock: this.options.clock,
      renewEveryMs: this.renewEveryMs(),
      usefulMs: this.options.ttlSeconds * 1000 - this.options.fenceMarginMs,
      confirmed: (sentAtMs, grantedTtlSeconds) => {
        this.deadline.confirmed(sentAtMs, grantedTtlSeconds);
        if (this.state.kind === 'leading') this.armFenceCheck();
      },
      renewed: () => {
        if (this.campaign === campaign && this.state.kind === 'campaigning') this.checkCandidacy(campaign);
      },
    });
  }

  /** etcd3 says elected; the node leads only once its key is the oldest of the election and freshly renewed. */
  private async onElected(campaign: Campaign): Promise<void> {
    const renewal = this.renewal;
    const key = await campaign.getCampaignKey();
    const oldest = await this.options.client
      .getAll()
      .prefix(`election/${this.options.electionName}/`)
      .sort('Create', 'Ascend')
      .limit(1)
      .exec();
    const leader = oldest.kvs[0];
    if (leader === undefined || leader.key.toString() !== key) {
      throw new Error("etcd3 said elected, but this node's key is not the election's oldest");
    }
    await renewal?.once();
    if (this.campaign !== campaign || this.state.kind !== 'campaigning') return;
    if (this.deadline.passed(this.options.clock.now())) throw new Error('the lease could not be renewed once elected');
    const term = { term: leader.create_revision, key };
    this.state = { kind: 'leading', term };
    this.armFenceCheck();
    this.options.listener.elected(term);
  }

  private onError(campaign: Campaign, error: unknown): void {
    if (this.campaign !== campaign || this.state.kind === 'stopped') return;
    const reason =
      error instanceof EtcdLeaseInvalidError ? fenceText('leaseLost') : fenceText('campaignFailed', String(error));
    if (this.state.kind === 'leading') this.fence(reason);
    else this.restartLater();
  }

  /** Stops leading now and campaigns again with a new lease. */
  private fence(reason: string): void {
    if (this.state.kind !== 'leading') return;
    const { term } = this.state.term;
    this.state = { kind: 'campaigning' };
    this.options.listener.fenced({ term, reason });
    this.restartLater();
  }

  private restartLater(afterMs = (this.options.ttlSeconds * 1000) / 3): void {
    this.dropCampaign().catch(() => undefined);
    this.cancelRetry();
    this.cancelRetry = this.options.clock.after(afterMs, () => {
      if (this.state.kind === 'campaigning') this.campaignAgain();
    });
  }

  private async dropCampaign(): Promise<void> {
    this.renewal?.stop();
    this.renewal = undefined;
    this.cancelFenceCheck();
    this.cancelRetry();
    const campaign = this.campaign;
    this.campaign = undefined;
    if (campaign === undefined) return;
    // Revoking deletes the key at once, so another node need not wait for the lease to run out. An etcd that does not
    // answer (frozen, cut off) gets one TTL: resign stops etcd3's renewals first, so the lease then runs out anyway.
    await new Promise<void>((resolve) => {
      const cancel = this.options.clock.after(this.options.ttlSeconds * 1000, resolve);
      campaign
        .resign()
        .catch(() => undefined)
        .finally(() => {
          cancel();
          resolve();
        });
    });
  }

  private renewEveryMs(): number {
    return this.options.renewEveryMs ?? (this.options.ttlSeconds * 1000) / 3;
  }

  /** A candidate that is not leading withdraws once static election no longer lets it campaign; a leader never does. */
  private checkCandidacy(campaign: Campaign): void {
    this.options.candidacy?.allowed().then(
      (allowed) => {
        if (!allowed && this.campaign === campaign && this.state.kind === 'campaigning') this.restartLater();
      },
      () => undefined,
    );
  }

  private armFenceCheck(): void {
    this.cancelFenceCheck();
    const waitMs = this.deadline.atMs - this.options.clock.now();
    this.cancelFenceCheck = this.options.clock.after(waitMs, () => {
      if (this.deadline.passed(this.options.clock.now())) this.fence(fenceText('keepaliveLate'));
      else this.armFenceCheck();
    });
  }
}
