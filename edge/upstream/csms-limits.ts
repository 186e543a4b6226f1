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
}

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

  constructor(
    private readonly settings: CsmsLimitsSettings,
    /** Without one, the profiles are kept in memory only. */
    private readonly store?: CsmsProfileStore,
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
   * 'Rejected' for a malformed request (a clear, whose answer has no Rejected, should become a CALLERROR). Once an
   * accepted one is applied, the listeners hear of it.
   */
  record(
    chargerId: string,
    action: 'SetChargingProfile' | 'ClearChargingProfile',
    payload: unknown,
  ): 'Accepted' | 'Rejected' | 'Unknown' {
    const status = action === 'SetChargingProfile' ? this.set(chargerId, payload) : this.clear(chargerId, payload);
    if (status === 'Accepted') this.changed(chargerId);
    return status;
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
    if (this.set(chargerId, request) === 'Accepted') this.changed(chargerId);
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
    if (remaining.length !== kept.length) this.save(chargerId);
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

  private set(chargerId: string, payload: unknown): 'Accepted' | 'Rejected' {
    const parsed = CsmsSetProfileSchema.safeParse(payload);
    if (!parsed.success) return 'Rejected';
    const incoming: KeptProfile = {
      connectorId: parsed.data.connectorId,
      profile: parsed.data.csChargingProfiles,
      request: payload,
    };
    if (incoming.profile.chargingProfilePurpose === 'TxProfile') {
      // As a charger does (§5.16.3): a TxProfile needs a running transaction on its connector, and must name that one.
      const running = this.transactions.get(formatConnectorRef(chargerId, incoming.connectorId));
      const named = incoming.profile.transactionId;
      if (running === undefined || (named !== undefined && named !== running.transactionId)) return 'Rejected';
    }
    const kept = (this.profiles.get(chargerId) ?? []).filter((stored) => !replaces(incoming, stored));
    if (kept.length >= this.settings.maxProfilesPerCharger) return 'Rejected';
    this.profiles.set(chargerId, [...kept, incoming]);
    return 'Accepted';
  }

  private clear(chargerId: string, payload: unknown): 'Accepted' | 'Rejected' | 'Unknown' {
    const parsed = CsmsClearSchema.safeParse(payload);
    if (!parsed.success) return 'Rejected';
    const kept = this.profiles.get(chargerId) ?? [];
    const remaining = kept.filter((stored) => !clearMatches(parsed.data, stored));
    if (remaining.length === kept.length) return 'Unknown';
    this.profiles.set(chargerId, remaining);
    return 'Accepted';
  }

  /** An accepted change: stored, and the listeners hear of it. */
  private changed(chargerId: string): void {
    this.save(chargerId);
    for (const listener of this.listeners) listener(chargerId);
  }

  private save(chargerId: string): void {
    this.store?.save(
      chargerId,
      (this.profiles.get(chargerId) ?? []).map((kept) => kept.request),
    );
  }
}
