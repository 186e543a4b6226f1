/**
 * The control loop's lease sender over OCPP: a lease goes out as an expiring TxProfile in the unit the charger takes,
 * capped by the operator's CSMS when the agent sits in front of one; a request for a fresh sample as TriggerMessage
 * MeterValues. Behind a CSMS, an accepted lease follows the CSMS's limit until it expires: it is sent again (same
 * allocation, same expiry) as soon as the CSMS changes its profiles and at each instant the CSMS's schedule changes.
 */
import type { Logger } from 'pino';
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { LeaseOutcome, LeaseRequest, LeaseSender } from '../control/control-ports';
import type { Clock } from '../platform/clock';
import { capLease } from '../upstream/composite-limit';
import type { CeilingAmps } from '../upstream/csms-stack';
import type { ChargerConnections } from './charger-connections';
import { IDLE_HOLD_STACK_LEVEL } from './charging-profile';
import { buildIdleHoldProfile, buildLeaseProfile } from './charging-profile-builder';
import { sendCommand } from './command-sender';

export interface LeaseSenderSettings {
  /** Line-to-neutral volts, for chargers that take limits in watts. */
  readonly nominalVolts: number;
  readonly commandTimeoutMs: number;
}

/** Limits another party (the operator's CSMS) puts on a charger, which a lease must stay under. */
export interface LeaseCeiling {
  /** The lowest limit in force on the lease's connector at any instant of [from, to); undefined when there is none. */
  lowestDuring(
    chargerId: string,
    lease: Pick<LeaseRequest, 'connectorId' | 'phases'>,
    from: number,
    to: number,
  ): CeilingAmps | undefined;
  /** The first instant in (at, until) at which the limit on the connector changes. */
  nextChange(chargerId: string, connectorId: number, phases: 1 | 2 | 3, at: number, until: number): number | undefined;
  /** Calls `listener` with a charger's id whenever its limits were set or cleared. */
  onChange(listener: (chargerId: string) => void): void;
  /** The transaction running on a connector (ids as the charger knows them); a lease follows its own only. */
  transactionOn(chargerId: string, connectorId: number): number | undefined;
}

/**
 * A lease kept until it expires so that it can follow the ceiling: one the charger accepted (`sent`: what it holds),
 * or one whose sending failed (`sent` undefined: the charger may hold it or the one before, so any change is sent).
 */
interface HeldLease {
  readonly chargerId: string;
  readonly allocated: LeaseRequest;
  readonly sent: LeaseRequest | undefined;
  readonly expiresAt: number;
  /** Accepted before the agent restarted (`restored`): it only fills the time until the control loop's first lease. */
  readonly restored?: boolean;
  cancelTimer: () => void;
}

export class OcppLeaseSender implements LeaseSender {
  private readonly held = new Map<string, HeldLease>();
  /** Chargers that refused a lease with its fail-safe tail: they take one schedule period (and no idle hold). */
  private readonly singlePeriod = new Set<string>();
  /** Per connector, how many leases the control loop sent: a lease sent again for an older one is not kept. */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly connections: ChargerConnections,
    private readonly settings: LeaseSenderSettings,
    private readonly clock: Clock,
    /** Without one, leases go out as allocated. */
    private readonly ceiling?: LeaseCeiling,
    private readonly log?: Pick<Logger, 'warn'>,
  ) {
    ceiling?.onChange((chargerId) => {
      for (const lease of [...this.held.values()]) if (lease.chargerId === chargerId) this.follow(lease);
    });
  }

  async sendLease(chargerId: string, allocated: LeaseRequest): Promise<LeaseOutcome> {
    // The lease it replaces no longer follows the ceiling: sent again, it could land after this one and undo it.
    const ref = formatConnectorRef(chargerId, allocated.connectorId);
    // A restored lease is no measure of what a failed one may follow with: the charger may have rebooted since.
    const held = this.held.get(ref);
    const before = held?.restored === true ? undefined : held;
    this.forget(ref);
    const generation = (this.generations.get(ref) ?? 0) + 1;
    this.generations.set(ref, generation);
    const expiresAt = this.clock.now() + allocated.leaseSeconds * 1000;
    const outcome = await this.send(chargerId, allocated, expiresAt);
    if (outcome.kind !== 'accepted' && this.ceiling && this.generations.get(ref) === generation)
      this.keepFollowing(chargerId, allocated, expiresAt, before);
    return outcome;
  }

  /**
   * A lease the charger accepted before the agent restarted: it may hold it until the new agent's first lease to it, so
   * it follows the ceiling meanwhile like a lease whose answer was lost (what the charger holds of it is unknown): at
   * each change it is sent again, capped, with its own allocation and expiry, never more.
   */
  restored(chargerId: string, lease: LeaseRequest, expiresAt: number): void {
    const ref = formatConnectorRef(chargerId, lease.connectorId);
    if (!this.ceiling || this.held.has(ref)) return;
    const restored: HeldLease = {
      chargerId,
      allocated: lease,
      sent: undefined,
      expiresAt,
      restored: true,
      cancelTimer: () => {},
    };
    this.held.set(ref, restored);
    this.wakeAtNextChange(restored, this.clock.now());
  }

  /**
   * The site's share (the allocation, before the CSMS's cap) a connector's accepted lease carries now, and until when;
   * kept behind a CSMS only (without a ceiling, none is).
   */
  leaseInForce(
    chargerId: string,
    connectorId: number,
    now: number,
  ): { amps: number; phases: 1 | 2 | 3; expiresAt: number } | undefined {
    const lease = this.held.get(formatConnectorRef(chargerId, connectorId));
    if (lease === undefined || lease.expiresAt <= now) return undefined;
    return { amps: lease.allocated.amps, phases: lease.allocated.phases, expiresAt: lease.expiresAt };
  }

  async sendIdleHold(chargerId: string, holdSeconds: number): Promise<LeaseOutcome> {
    const connection = this.connections.get(chargerId);
    const maxStackLevel = connection?.capabilities?.maxStackLevel;
    // A charger with one stack level cannot hold a default above its fail-safe, and one whose leases cannot carry their
    // fail-safe tail would pause its cars in the hold once a lease runs out: both keep the fail-safe rules.
    if (maxStackLevel !== undefined && maxStackLevel < IDLE_HOLD_STACK_LEVEL) return { kind: 'rejected' };
    if (!this.takesTail(chargerId)) return { kind: 'rejected' };
    const rate = { rateUnit: connection?.capabilities?.rateUnit ?? 'A', nominalVolts: this.settings.nominalVolts };
    return sendCommand(
      this.connections.caller(chargerId),
      'SetChargingProfile',
      { connectorId: 0, csChargingProfiles: buildIdleHoldProfile(holdSeconds, rate, this.clock.now()) },
      this.settings.commandTimeoutMs,
    );
  }

  async requestMeterValues(chargerId: string, connectorId: number): Promise<void> {
    await sendCommand(
      this.connections.caller(chargerId),
      'TriggerMessage',
      { requestedMessage: 'MeterValues', connectorId },
      this.settings.commandTimeoutMs,
    );
  }

  /** Sends `allocated`, capped by the ceiling from now until `expiresAt`, as a lease that ends then. */
  private async send(chargerId: string, allocated: LeaseRequest, expiresAt: number): Promise<LeaseOutcome> {
    const ref = formatConnectorRef(chargerId, allocated.connectorId);
    const generation = this.generations.get(ref);
    const connection = this.connections.get(chargerId);
    const rate = { rateUnit: connection?.capabilities?.rateUnit ?? 'A', nominalVolts: this.settings.nominalVolts };
    const now = this.clock.now();
    const leaseSeconds = Math.floor((expiresAt - now) / 1000);
    // The whole lease stays under the CSMS's lowest limit during it, so no instant of the lease exceeds either side.
    const lease = this.capped(chargerId, { ...allocated, leaseSeconds }, now);
    const withTail = lease.fallbackAmps !== undefined && this.takesTail(chargerId);
    const spec = withTail ? lease : { ...lease, fallbackAmps: undefined };
    const outcome = await sendCommand(
      this.connections.caller(chargerId),
      'SetChargingProfile',
      { connectorId: lease.connectorId, csChargingProfiles: buildLeaseProfile(spec, rate, now) },
      this.settings.commandTimeoutMs,
    );
    if (outcome.kind === 'rejected' && withTail) {
      // Refused with two periods: from now on this charger gets leases that end with their single period.
      this.singlePeriod.add(chargerId);
      this.log?.warn({ chargerId }, 'charger refused a lease with its fail-safe tail: leases end with their limit');
      return this.send(chargerId, allocated, expiresAt);
    }
    if (outcome.kind === 'accepted' && this.ceiling && this.generations.get(ref) === generation)
      this.hold(chargerId, allocated, lease, now + leaseSeconds * 1000);
    return outcome;
  }

  /** Whether leases to this charger carry their fail-safe as a second schedule period. */
  private takesTail(chargerId: string): boolean {
    const maxPeriods = this.connections.get(chargerId)?.capabilities?.maxSchedulePeriods;
    return !this.singlePeriod.has(chargerId) && (maxPeriods === undefined || maxPeriods >= 2);
  }

  private capped(chargerId: string, lease: LeaseRequest, now: number): LeaseRequest {
    if (!this.ceiling) return lease;
    return capLease(lease, this.ceiling.lowestDuring(chargerId, lease, now, now + lease.leaseSeconds * 1000));
  }

  /**
   * A lease whose sending failed still follows the ceiling: at the ceiling's next change it is sent again, capped. The
   * charger holds it (only its answer was lost) or the lease before, which the control loop still counts on: so it
   * goes out with no more than that lease's allocation and no later expiry (no more than the fail-safe it carries
   * when there was none), never as a raise behind the control loop's back.
   */
  private keepFollowing(chargerId: string, failed: LeaseRequest, expiresAt: number, before: HeldLease | undefined) {
    const now = this.clock.now();
    const counted = before !== undefined && before.expiresAt > now ? before : undefined;
    const ceilingAmps = counted?.allocated.amps ?? failed.fallbackAmps ?? failed.amps;
    const allocated = { ...failed, amps: Math.min(failed.amps, ceilingAmps) };
    const until = counted === undefined ? expiresAt : Math.min(expiresAt, counted.expiresAt);
    const lease: HeldLease = { chargerId, allocated, sent: undefined, expiresAt: until, cancelTimer: () => {} };
    this.held.set(formatConnectorRef(chargerId, failed.connectorId), lease);
    this.wakeAtNextChange(lease, now);
  }

  /**
   * Keeps an accepted lease until it expires (only leases the charger accepted: the control loop counts on no other),
   * to wake at the ceiling's next change inside it; and checks it at once, as the CSMS may have changed its profiles
   * while the lease was on its way.
   */
  private hold(chargerId: string, allocated: LeaseRequest, sent: LeaseRequest, expiresAt: number): void {
    const ref = formatConnectorRef(chargerId, allocated.connectorId);
    this.forget(ref);
    const lease: HeldLease = { chargerId, allocated, sent, expiresAt, cancelTimer: () => {} };
    this.held.set(ref, lease);
    const now = this.clock.now();
    this.wakeAtNextChange(lease, now);
    if (this.differs(lease, now)) this.follow(lease);
  }

  private wakeAtNextChange(lease: HeldLease, now: number): void {
    const { chargerId, allocated, expiresAt } = lease;
    const next = this.ceiling?.nextChange(chargerId, allocated.connectorId, allocated.phases, now, expiresAt);
    if (next !== undefined) lease.cancelTimer = this.clock.after(next - now, () => this.follow(lease));
  }

  private forget(ref: string): void {
    this.held.get(ref)?.cancelTimer();
    this.held.delete(ref);
  }

  /** True when the lease capped as the ceiling stands now differs from what the charger holds. */
  private differs(lease: HeldLease, now: number): boolean {
    const leaseSeconds = Math.floor((lease.expiresAt - now) / 1000);
    if (leaseSeconds < 1) return false;
    if (lease.sent === undefined) return true;
    const fresh = this.capped(lease.chargerId, { ...lease.allocated, leaseSeconds }, now);
    return fresh.amps !== lease.sent.amps || fresh.phases !== lease.sent.phases;
  }

  /**
   * Sends the lease again, with the same allocation and expiry, when the ceiling now caps it differently (lower at
   * once, never above the allocation); else waits for the ceiling's next change. A lease that has expired, or whose
   * transaction ended (the charger would refuse a TxProfile for it), is forgotten.
   */
  private follow(lease: HeldLease): void {
    const ref = formatConnectorRef(lease.chargerId, lease.allocated.connectorId);
    if (this.held.get(ref) !== lease) return;
    const now = this.clock.now();
    if (lease.expiresAt - now < 1000) return this.forget(ref);
    const running = this.ceiling?.transactionOn(lease.chargerId, lease.allocated.connectorId);
    if (running !== lease.allocated.transactionId) return this.forget(ref);
    if (lease.sent !== undefined && !this.differs(lease, now))
      return this.hold(lease.chargerId, lease.allocated, lease.sent, lease.expiresAt);
    this.send(lease.chargerId, lease.allocated, lease.expiresAt).then(
      (outcome) => {
        if (outcome.kind !== 'accepted')
          this.log?.warn({ ref, outcome: outcome.kind }, 'the lease capped again by the CSMS was not accepted');
      },
      (error: unknown) => this.log?.warn({ ref, err: error }, 'the lease capped again by the CSMS could not be sent'),
    );
  }
}
