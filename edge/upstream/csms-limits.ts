/**
 * The limits an operator's CSMS set on our chargers, kept as an upstream constraint: every SetChargingProfile and
 * ClearChargingProfile it sends is validated and applied to per-charger stacks exactly as a charger would, and the
 * limit it imposes on a connector can be read at any instant or over a window (see docs/csms.md).
 */
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { LeaseRequest } from '../control/control-ports';
import type { LeaseCeiling } from '../ocpp/lease-sender';
import { CsmsClearSchema, CsmsSetProfileSchema, type StoredProfile } from './csms-profile-schema';
import { clearMatches, replaces } from './csms-profile-matching';
import {
  applicableStacks,
  ceilingSteps,
  lowerCeiling,
  type CeilingAmps,
  type CeilingStep,
  type RunningTransaction,
} from './csms-stack';
import type { UpstreamLimits } from './upstream-limits-port';

export interface CsmsLimitsSettings {
  /** Line-to-neutral volts, to read limits the CSMS sets in watts. */
  readonly nominalVolts: number;
  /** Profiles kept per charger (all purposes and connectors); a CSMS that sends more gets Rejected. */
  readonly maxProfilesPerCharger: number;
}

/** Where the kept profiles survive a restart: each charger's SetChargingProfile requests, as the CSMS sent them. */
export interface CsmsProfileStore {
  load(): ReadonlyMap<string, readonly unknown[]>;
  save(chargerId: string, requests: readonly unknown[]): void;
  /** Every charger's requests replaced by `all` at once (a new master takes the ledger's). */
  replace(all: ReadonlyMap<string, readonly unknown[]>): void;
}

/**
 * On a cluster's master, where each charger's requests are copied for the next master (the ledger, docs/cluster.md):
 * `write` resolves once they are there and rejects when they could not be (a refusal also fences the node).
 */
export interface CsmsProfileReplica {
  write(chargerId: string, requests: readonly unknown[]): Promise<void>;
}

export type CsmsLimitStatus = 'Accepted' | 'Rejected' | 'Unknown';

/** A running transaction as the agent resumes it after a restart (a stored session). */
export interface ResumedTransaction extends RunningTransaction {
  readonly chargerId: string;
  readonly connectorId: number;
}

/** A kept profile with the request it came in, which is what is stored. */
interface KeptProfile extends StoredProfile {
  readonly request: unknown;
}

export class CsmsLimits implements UpstreamLimits, LeaseCeiling {
  private readonly profiles = new Map<string, KeptProfile[]>();
  private readonly transactions = new Map<string, RunningTransaction>();
  private readonly listeners: ((chargerId: string) => void)[] = [];
  /** Per charger, the profile of a RemoteStartTransaction the charger accepted, until its transaction starts. */
  private readonly remoteStarts = new Map<
    string,
    { readonly connectorId: number | undefined; readonly profile: unknown }
  >();
  /** Per charger, the last of its changes on their way to the replica: each waits for the one before. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly settings: CsmsLimitsSettings,
    /** Without one, the profiles are kept in memory only. */
    private readonly store?: CsmsProfileStore,
    /** Without one (a single agent), a change is in force once SQLite has it. */
    private readonly replica?: CsmsProfileReplica,
  ) {}

  /**
   * After a restart: the transactions still running (before their profiles, as a TxProfile needs its transaction),
   * then the stored profiles, each checked again; a TxProfile whose transaction ended meanwhile is dropped.
   */
  resume(running: readonly ResumedTransaction[]): void {
    for (const { chargerId, connectorId, transactionId, startedAt } of running)
      this.transactions.set(formatConnectorRef(chargerId, connectorId), { transactionId, startedAt });
    for (const [chargerId, requests] of this.store?.load() ?? []) {
      for (const request of requests) this.set(chargerId, request);
      this.save(chargerId);
    }
  }

  /**
   * 'Rejected' for a malformed request (a clear, whose answer has no Rejected, should become a CALLERROR). An accepted
   * one is in the replica before it is applied and before this resolves (the CSMS hears Accepted only once the next
   * master would find it); a replica's failure rejects, with nothing changed. Once applied, the listeners hear of it.
   */
  record(
    chargerId: string,
    action: 'SetChargingProfile' | 'ClearChargingProfile',
    payload: unknown,
  ): Promise<CsmsLimitStatus> {
    return this.serial(chargerId, async () => {
      const planned = this.plan(chargerId, action, payload);
      if (planned.profiles === undefined) return planned.status;
      await this.replica?.write(chargerId, requestsOf(planned.profiles));
      // Planned again: a transaction's end may have changed the charger's profiles meanwhile (its copy waits behind).
      const applied = this.plan(chargerId, action, payload);
      if (applied.profiles === undefined) return applied.status;
      this.profiles.set(chargerId, applied.profiles);
      this.changed(chargerId);
      return applied.status;
    });
  }

  /** Every charger's kept requests, as the CSMS sent them (a cluster's first master copies them to the ledger). */
  requests(): Map<string, readonly unknown[]> {
    return new Map([...this.profiles].map(([chargerId, kept]) => [chargerId, requestsOf(kept)]));
  }

  /**
   * Elected (docs/cluster.md): the ledger's requests replace every charger's, each checked again as at a restart (a
   * TxProfile needs its transaction running here), in memory and in the store; how many were dropped.
   */
  adopt(all: ReadonlyMap<string, readonly unknown[]>): number {
    const before = [...this.profiles.keys()];
    this.profiles.clear();
    let dropped = 0;
    for (const [chargerId, requests] of all)
      for (const request of requests) if (this.set(chargerId, request) !== 'Accepted') dropped += 1;
    this.store?.replace(this.requests());
    for (const chargerId of new Set([...before, ...all.keys()]))
      for (const listener of this.listeners) listener(chargerId);
    return dropped;
  }

  /**
   * A RemoteStartTransaction's profile (OCPP 1.6 §5.11: a TxProfile for the transaction it starts), kept until that
   * transaction starts on the connector (any connector when none was named), then set as its TxProfile: the car gets
   * at most what the CSMS asked for, and never more than the site allows. A newer remote start replaces it.
   */
  remoteStart(chargerId: string, connectorId: number | undefined, profile: unknown): void {
    this.remoteStarts.set(chargerId, { connectorId, profile });
  }

  /** Calls `listener` with the charger's id each time the CSMS set or cleared one of its profiles. */
  onChange(listener: (chargerId: string) => void): void {
    this.listeners.push(listener);
  }

  /**
   * A transaction started on a connector (ids as the charger knows them): TxProfiles may now be set for it, and those
   * of an earlier transaction whose end was missed are gone.
   */
  transactionStarted(chargerId: string, connectorId: number, transaction: RunningTransaction): void {
    this.transactionEnded(chargerId, connectorId);
    this.transactions.set(formatConnectorRef(chargerId, connectorId), transaction);
    const remote = this.remoteStarts.get(chargerId);
    if (remote === undefined || (remote.connectorId !== undefined && remote.connectorId !== connectorId)) return;
    this.remoteStarts.delete(chargerId);
    const profile = typeof remote.profile === 'object' && remote.profile !== null ? remote.profile : {};
    const request = { connectorId, csChargingProfiles: { ...profile, transactionId: transaction.transactionId } };
    if (CsmsSetProfileSchema.safeParse(request).data?.csChargingProfiles.chargingProfilePurpose !== 'TxProfile') return;
    if (this.set(chargerId, request) !== 'Accepted') return;
    this.changed(chargerId);
    this.copy(chargerId);
  }

  /** The transaction running on a connector, as the control loop saw it start (ids in the charger's terms). */
  transactionOn(chargerId: string, connectorId: number): number | undefined {
    return this.transactions.get(formatConnectorRef(chargerId, connectorId))?.transactionId;
  }

  /** The connector's transaction ended: its TxProfiles end with it, as on a charger. */
  transactionEnded(chargerId: string, connectorId: number): void {
    this.transactions.delete(formatConnectorRef(chargerId, connectorId));
    const kept = this.profiles.get(chargerId);
    if (kept === undefined) return;
    const remaining = kept.filter(
      (s) => s.profile.chargingProfilePurpose !== 'TxProfile' || s.connectorId !== connectorId,
    );
    this.profiles.set(chargerId, remaining);
    if (remaining.length === kept.length) return;
    this.save(chargerId);
    this.copy(chargerId);
  }

  /**
   * The CSMS's limit on a connector (0: the whole charger) over [from, to), as steps. `phases` are the car's: limits in
   * watts are shared over them.
   */
  ceilingSteps(chargerId: string, connectorId: number, phases: 1 | 2 | 3, from: number, to: number): CeilingStep[] {
    const context = {
      connectorId,
      transaction: connectorId > 0 ? this.transactions.get(formatConnectorRef(chargerId, connectorId)) : undefined,
      phases,
      nominalVolts: this.settings.nominalVolts,
      origin: from,
    };
    return ceilingSteps(applicableStacks(this.profiles.get(chargerId) ?? [], context), context, from, to);
  }

  /** The lowest limit the CSMS sets on the lease's connector at any instant of [from, to); undefined if it sets none. */
  lowestDuring(
    chargerId: string,
    lease: Pick<LeaseRequest, 'connectorId' | 'phases'>,
    from: number,
    to: number,
  ): CeilingAmps | undefined {
    return this.ceilingSteps(chargerId, lease.connectorId, lease.phases, from, to).reduce<CeilingAmps | undefined>(
      (lowest, step) => lowerCeiling(lowest, step.ceiling),
      undefined,
    );
  }

  /** The first instant in (at, until) at which the CSMS's limit on the connector changes, so a lease can be renewed then. */
  nextChange(chargerId: string, connectorId: number, phases: 1 | 2 | 3, at: number, until: number): number | undefined {
    return this.ceilingSteps(chargerId, connectorId, phases, at, until)[1]?.at;
  }

  /** What `action` makes of the charger's profiles, without applying it (none when it changes nothing). */
  private plan(
    chargerId: string,
    action: 'SetChargingProfile' | 'ClearChargingProfile',
    payload: unknown,
  ): { readonly status: CsmsLimitStatus; readonly profiles?: KeptProfile[] } {
    return action === 'SetChargingProfile' ? this.planSet(chargerId, payload) : this.planClear(chargerId, payload);
  }

  private set(chargerId: string, payload: unknown): 'Accepted' | 'Rejected' {
    const planned = this.planSet(chargerId, payload);
    if (planned.profiles !== undefined) this.profiles.set(chargerId, planned.profiles);
    return planned.status;
  }

  private planSet(
    chargerId: string,
    payload: unknown,
  ): { readonly status: 'Accepted' | 'Rejected'; readonly profiles?: KeptProfile[] } {
    const parsed = CsmsSetProfileSchema.safeParse(payload);
    if (!parsed.success) return { status: 'Rejected' };
    const incoming: KeptProfile = {
      connectorId: parsed.data.connectorId,
      profile: parsed.data.csChargingProfiles,
      request: payload,
    };
    if (incoming.profile.chargingProfilePurpose === 'TxProfile') {
      // As a charger does (§5.16.3): a TxProfile needs a running transaction on its connector, and must name that one.
      const running = this.transactions.get(formatConnectorRef(chargerId, incoming.connectorId));
      const named = incoming.profile.transactionId;
      if (running === undefined || (named !== undefined && named !== running.transactionId))
        return { status: 'Rejected' };
    }
    const kept = (this.profiles.get(chargerId) ?? []).filter((stored) => !replaces(incoming, stored));
    if (kept.length >= this.settings.maxProfilesPerCharger) return { status: 'Rejected' };
    return { status: 'Accepted', profiles: [...kept, incoming] };
  }

  private planClear(
    chargerId: string,
    payload: unknown,
  ): { readonly status: CsmsLimitStatus; readonly profiles?: KeptProfile[] } {
    const parsed = CsmsClearSchema.safeParse(payload);
    if (!parsed.success) return { status: 'Rejected' };
    const kept = this.profiles.get(chargerId) ?? [];
    const remaining = kept.filter((stored) => !clearMatches(parsed.data, stored));
    if (remaining.length === kept.length) return { status: 'Unknown' };
    return { status: 'Accepted', profiles: remaining };
  }

  /** Runs `step` once the charger's earlier changes reached the replica, so its copies go there in their order. */
  private serial<T>(chargerId: string, step: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(chargerId) ?? Promise.resolve()).then(step);
    const tail = run.catch(() => undefined);
    this.tails.set(chargerId, tail);
    void tail.then(() => {
      if (this.tails.get(chargerId) === tail) this.tails.delete(chargerId);
    });
    return run;
  }

  /**
   * A change nobody is answered about (a transaction's end or start), in force at once: the charger's profiles as they
   * are when its turn comes go to the replica. A failed copy is the replica's to log; the next change copies them all.
   */
  private copy(chargerId: string): void {
    const replica = this.replica;
    if (replica === undefined) return;
    this.serial(chargerId, () => replica.write(chargerId, requestsOf(this.profiles.get(chargerId) ?? []))).catch(
      () => undefined,
    );
  }

  /** An accepted change: stored, and the listeners hear of it. */
  private changed(chargerId: string): void {
    this.save(chargerId);
    for (const listener of this.listeners) listener(chargerId);
  }

  private save(chargerId: string): void {
    this.store?.save(chargerId, requestsOf(this.profiles.get(chargerId) ?? []));
  }
}

const requestsOf = (kept: readonly KeptProfile[]): unknown[] => kept.map((profile) => profile.request);
