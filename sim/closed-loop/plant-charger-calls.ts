/**
 * The calls a controller makes to a charger, as the charger answers them: SetChargingProfile of a lease, the idle hold,
 * the boot configuration and TriggerMessage(MeterValues), each answered after the charger's answer time and only while
 * it is online. Its own file because it is the plant's OCPP side: what a call changes once it lands, not how the cars
 * and the links behave.
 */
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { PlantMeterReports } from './plant-meter-reports';
import type { PlantAnswer, PlantLease } from './plant-messages';
import type { Connector, PlantRecords } from './plant-records';

/** The boot configuration's SetChargingProfile of the fail-safe is its fourth call (edge/ocpp/boot-configuration.ts). */
const FAIL_SAFE_CALL = 4;

export class ChargerCalls {
  constructor(
    private readonly plant: PlantRecords,
    private readonly byRef: ReadonlyMap<string, Connector>,
    private readonly meters: PlantMeterReports,
    /** Makes a connector's car follow what its charger enforces now, once a call has changed that. */
    private readonly follow: (connector: Connector) => void,
  ) {}

  /** SetChargingProfile as the charger sees it: answered after `answerMs`, in force from that moment. */
  sendLease(chargerId: string, lease: PlantLease): Promise<PlantAnswer> {
    const charger = this.plant.chargers.find((c) => c.id === chargerId);
    if (charger === undefined || !charger.online) return Promise.resolve('notConnected');
    return new Promise((resolve) => {
      this.plant.clock.after(this.plant.scenario.chargers.answerMs, () => {
        if (!charger.online) return resolve('timeout');
        const connector = this.connectorOf(chargerId, lease.connectorId);
        if (connector?.session?.transactionId !== lease.transactionId) return resolve('rejected');
        connector.lease = lease;
        this.follow(connector);
        this.plant.clock.after(lease.validTo - this.plant.clock.now(), () => this.follow(connector));
        resolve('accepted');
      });
    });
  }

  /** The idle hold as the charger sees it: a 0 A default for `holdSeconds` from when it was sent. */
  sendIdleHold(chargerId: string, holdSeconds: number): Promise<PlantAnswer> {
    const charger = this.plant.chargers.find((c) => c.id === chargerId);
    if (charger === undefined || !charger.online) return Promise.resolve('notConnected');
    const validTo = this.plant.clock.now() + holdSeconds * 1000;
    return new Promise((resolve) => {
      this.plant.clock.after(this.plant.scenario.chargers.answerMs, () => {
        if (!charger.online) return resolve('timeout');
        if (!this.plant.scenario.chargers.idleHold) return resolve('rejected');
        charger.holdUntil = validTo;
        for (const c of this.plant.connectors) if (this.plant.chargers[c.chargerIndex] === charger) this.follow(c);
        this.plant.clock.after(validTo - this.plant.clock.now(), () => {
          for (const c of this.plant.connectors) if (this.plant.chargers[c.chargerIndex] === charger) this.follow(c);
        });
        resolve('accepted');
      });
    });
  }

  /** The boot configuration as the charger sees it: its fail-safe default is in force once that call is answered. */
  configureAtBoot(chargerId: string): Promise<PlantAnswer> {
    const charger = this.plant.chargers.find((c) => c.id === chargerId);
    if (charger === undefined || !charger.online) return Promise.resolve('notConnected');
    return new Promise((resolve) => {
      const { bootConfigurationMs, answerMs } = this.plant.scenario.chargers;
      this.plant.clock.after(bootConfigurationMs ?? FAIL_SAFE_CALL * answerMs, () => {
        if (!charger.online) return resolve('timeout');
        charger.failSafeHeld = true;
        for (const c of this.plant.connectors) if (this.plant.chargers[c.chargerIndex] === charger) this.follow(c);
        resolve('accepted');
      });
    });
  }

  /** TriggerMessage(MeterValues) as the charger sees it: the connector's sample follows its answer. */
  triggerMeterValues(chargerId: string, connectorId: number): Promise<void> {
    const charger = this.plant.chargers.find((c) => c.id === chargerId);
    const connector = this.connectorOf(chargerId, connectorId);
    if (charger === undefined || connector === undefined || !charger.online) return Promise.resolve();
    return new Promise((resolve) => {
      this.plant.clock.after(this.plant.scenario.chargers.answerMs, () => {
        if (charger.online) this.meters.sendSample(charger, connector);
        resolve();
      });
    });
  }

  private connectorOf(chargerId: string, connectorId: number): Connector | undefined {
    return this.byRef.get(formatConnectorRef(chargerId, connectorId));
  }
}
