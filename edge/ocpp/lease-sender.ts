/**
 * The control loop's lease sender over OCPP: a lease goes out as an expiring TxProfile in the unit the charger takes,
 * capped by the operator's CSMS when the agent sits in front of one; a request for a fresh sample as TriggerMessage
 * MeterValues.
 */
import type { LeaseOutcome, LeaseRequest, LeaseSender } from '../control/control-ports';
import { capLease } from '../upstream/composite-limit';
import type { CeilingAmps } from '../upstream/csms-stack';
import type { ChargerConnections } from './charger-connections';
import { buildLeaseProfile } from './charging-profile-builder';
import { sendCommand } from './command-sender';

export interface LeaseSenderSettings {
  /** Line-to-neutral volts, for chargers that take limits in watts. */
  readonly nominalVolts: number;
  readonly commandTimeoutMs: number;
}

/** Limits another party (the operator's CSMS) puts on a charger, which a lease must stay under. */
export interface LeaseCeiling {
  /** The lowest limit in force on the lease's connector at any instant of [from, to); undefined when there is none. */
  lowestDuring(chargerId: string, lease: LeaseRequest, from: number, to: number): CeilingAmps | undefined;
}

export class OcppLeaseSender implements LeaseSender {
  constructor(
    private readonly connections: ChargerConnections,
    private readonly settings: LeaseSenderSettings,
    private readonly now: () => number,
    /** Without one, leases go out as allocated. */
    private readonly ceiling?: LeaseCeiling,
  ) {}

  sendLease(chargerId: string, allocated: LeaseRequest): Promise<LeaseOutcome> {
    const connection = this.connections.get(chargerId);
    const rate = { rateUnit: connection?.capabilities?.rateUnit ?? 'A', nominalVolts: this.settings.nominalVolts };
    const now = this.now();
    // The whole lease stays under the CSMS's lowest limit during it, so no instant of the lease exceeds either side.
    const lease = this.ceiling
      ? capLease(allocated, this.ceiling.lowestDuring(chargerId, allocated, now, now + allocated.leaseSeconds * 1000))
      : allocated;
    const profile = buildLeaseProfile(lease, rate, now);
    return sendCommand(
      connection?.client,
      'SetChargingProfile',
      { connectorId: lease.connectorId, csChargingProfiles: profile },
      this.settings.commandTimeoutMs,
    );
  }

  async requestMeterValues(chargerId: string, connectorId: number): Promise<void> {
    await sendCommand(
      this.connections.get(chargerId)?.client,
      'TriggerMessage',
      { requestedMessage: 'MeterValues', connectorId },
      this.settings.commandTimeoutMs,
    );
  }
}
