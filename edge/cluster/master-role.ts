/**
 * This node's role as the site's master, between its leadership (etcd) and the agent. Elected, it first rebuilds its
 * working copy from the ledger, then serves: it takes chargers, sends them calls and raises keepalived's flag, so the
 * virtual address comes to it only once it is ready. Fenced, it stops at once: calls and new connections are refused,
 * the flag goes, and every charger's connection is closed so the chargers go on to the next master.
 */
import { fenceText } from '../../shared/cluster-fence-messages';
import { AppError } from '../../shared/errors';
import type { MasterGate } from '../ocpp/central-system-ports';
import type { LeaderTerm, LeadershipListener } from './leadership';
import { CHARGER_CLOSE_MESSAGES } from '../../shared/charger-close-messages';

/** The part of a Leadership the role reads and acts on. */
export interface LeadershipState {
  current(): LeaderTerm | undefined;
  assertLeading(): LeaderTerm;
  stepDown(term: LeaderTerm, reason: string): void;
}

/** What the agent does when this node becomes and stops being the master. */
export interface MasterDuties {
  /** Rebuilds what the node needs from the ledger before it serves; throws when it cannot. */
  prepare(term: LeaderTerm): Promise<void>;
  /** Closes every charger connection: this node is no longer the master. */
  dropChargers(reason: string): void;
}

export interface MasterRoleLog {
  info(data: object, message: string): void;
  error(data: object, message: string): void;
}

/** The node's last fence: the term it left, why, and when (by `now`). */
export interface FenceRecord {
  readonly term: string;
  readonly reason: string;
  readonly at: number;
}

export class MasterRole implements MasterGate, LeadershipListener {
  /** The term this node serves in, once prepared. */
  private servingTerm: LeaderTerm | undefined;
  private servingSinceAt: number | undefined;
  private fence: FenceRecord | undefined;

  constructor(
    private readonly leadership: LeadershipState,
    private readonly duties: MasterDuties,
    private readonly log: MasterRoleLog,
    private readonly now: () => number,
    /** Told once the node serves, and when it stops (keepalived's flag file, the takeover events). */
    private readonly told: readonly LeadershipListener[] = [],
  ) {}

  elected(term: LeaderTerm): void {
    this.log.info({ term: term.term }, 'elected master: rebuilding from the ledger');
    this.duties.prepare(term).then(
      () => {
        if (this.leadership.current()?.term !== term.term) return;
        this.servingTerm = term;
        this.servingSinceAt = this.now();
        for (const listener of this.told) listener.elected(term);
        this.log.info({ term: term.term }, 'serving as master');
      },
      (error: unknown) => {
        this.log.error({ err: error, term: term.term }, 'could not rebuild from the ledger: stepping down');
        this.leadership.stepDown(term, fenceText('rebuildFailed'));
      },
    );
  }

  fenced(event: { readonly term: string; readonly reason: string }): void {
    this.servingTerm = undefined;
    this.servingSinceAt = undefined;
    this.fence = { term: event.term, reason: event.reason, at: this.now() };
    for (const listener of this.told) listener.fenced(event);
    this.duties.dropChargers(CHARGER_CLOSE_MESSAGES.noLongerMaster);
    this.log.info(event, 'fenced: no longer master');
  }

  serving(): boolean {
    const term = this.servingTerm;
    return term !== undefined && this.leadership.current()?.term === term.term;
  }

  /** The term this node serves in and since when; undefined while it does not serve. */
  servingSince(): { readonly term: string; readonly at: number } | undefined {
    const at = this.servingSinceAt;
    return this.serving() && this.servingTerm !== undefined && at !== undefined
      ? { term: this.servingTerm.term, at }
      : undefined;
  }

  /** The node's last fence since it started, if any. */
  lastFence(): FenceRecord | undefined {
    return this.fence;
  }

  assertMaster(): void {
    const term = this.servingTerm;
    if (term === undefined || this.leadership.assertLeading().term !== term.term)
      throw new AppError('resource.conflict', 'this node is not the cluster master');
  }
}
