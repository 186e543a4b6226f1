/**
 * The control loop's lease sender over OCPP: a lease goes out as an expiring TxProfile in the unit the charger takes,
 * a request for a fresh sample as TriggerMessage MeterValues.
 */
import type { LeaseOutcome, LeaseRequest, LeaseSender } from '../control/control-ports';
import type { ChargerConnections } from './charger-connections';
import { buildLeaseProfile } from './charging-profile-builder';
import { sendCommand } from './command-sender';

export interface LeaseSenderSettings {
  /** Line-to-neutral volts, for chargers that take limits in watts. */
  readonly nominalVolts: number;
  readonly commandTimeoutMs: number;
}

export class OcppLeaseSender implements LeaseSender {
  constructor(
    private readonly connections: ChargerConnections,
    private readonly settings: LeaseSenderSettings,
    private readonly now: () => number,
  ) {}

  sendLease(chargerId: string, lease: LeaseRequest): Promise<LeaseOutcome> {
    const connection = this.connections.get(chargerId);
    const rate = { rateUnit: connection?.capabilities?.rateUnit ?? 'A', nominalVolts: this.settings.nominalVolts };
    const profile = buildLeaseProfile(lease, rate, this.now());
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
