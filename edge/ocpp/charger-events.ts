/** Domain events the OCPP layer delivers to the control loop, one per thing a charger tells us. */
import type { ConnectorStatus } from '../../shared/site/site-state';
import type { PhaseRotation } from '../../shared/units';
import type { ChargerTime } from '../control/charger-time';
import type { ChargePointErrorCode, StopReason } from './charge-point-messages';
import type { ChargingRateUnit } from './charging-profile';
import type { MeterSample } from './meter-values';
import type { AuthorizationStatus, RegistrationStatus } from './ocpp-values';

interface Base {
  readonly chargerId: string;
  /** When the central system received it (epoch ms, its own clock); the charger's own times, checked, are in the payload (`startedAt`, `stoppedAt`, `sampledAt`). */
  readonly at: number;
}

/** What a charger can do, read with GetConfiguration at boot. */
export interface ChargerCapabilities {
  /** The unit to send limits in: `A` when the charger accepts current, else `W`. */
  readonly rateUnit: ChargingRateUnit;
  readonly maxStackLevel: number | undefined;
  /** `ChargingScheduleMaxPeriods`, when the charger reports it: a lease takes two (the limit, then its fail-safe). */
  readonly maxSchedulePeriods?: number;
  /** Rotation of connector 1 (or the charger) as the charger reports it, when it does. */
  readonly phaseRotation: PhaseRotation | undefined;
  /** `NumberOfConnectors`: connectors beyond it are refused rather than adopted. */
  readonly numberOfConnectors: number | undefined;
}

export type ChargerEvent =
  | (Base & { readonly type: 'connected'; readonly remoteAddress: string | undefined })
  | (Base & { readonly type: 'disconnected'; readonly code: number | undefined; readonly reason: string })
  /** A newer connection with the charger's identity replaced its connection (which was closed); it stays online. */
  | (Base & {
      readonly type: 'connectionReplaced';
      readonly remoteAddress: string | undefined;
      readonly previousAddress: string | undefined;
    })
  | (Base & {
      readonly type: 'booted';
      readonly registration: RegistrationStatus;
      /** We asked for it (TriggerMessage at a cluster takeover): the charger did not reboot and keeps its profiles. */
      readonly triggered: boolean;
      readonly vendor: string;
      readonly model: string;
      readonly serialNumber: string | undefined;
      readonly firmwareVersion: string | undefined;
    })
  | (Base & {
      readonly type: 'configured';
      readonly capabilities: ChargerCapabilities;
      /** False when the charger refused the fail-safe default profile: it would fall back to its own maximum. */
      readonly failSafeInstalled: boolean;
      /** Configuration keys the charger refused to change. */
      readonly rejectedKeys: readonly string[];
    })
  | (Base & { readonly type: 'heartbeat' })
  | (Base & {
      readonly type: 'status';
      readonly connectorId: number;
      readonly status: ConnectorStatus;
      readonly errorCode: ChargePointErrorCode;
      readonly info: string | undefined;
      readonly vendorErrorCode: string | undefined;
    })
  | (Base & {
      readonly type: 'authorized';
      readonly idTag: string;
      readonly status: AuthorizationStatus;
      readonly vip: boolean;
    })
  | (Base & {
      readonly type: 'transactionStarted';
      readonly connectorId: number;
      readonly transactionId: number;
      readonly idTag: string;
      readonly status: AuthorizationStatus;
      readonly vip: boolean;
      readonly meterStartWh: number;
      /** The charger's start time (checked: `checkChargerTime`); a start queued offline keeps when it happened. */
      readonly startedAt: ChargerTime;
    })
  | (Base & {
      readonly type: 'transactionStopped';
      readonly transactionId: number;
      readonly idTag: string | undefined;
      readonly meterStopWh: number;
      readonly reason: StopReason;
      /** The last sample of the transaction data, when the charger sent some (its `at` checked like `stoppedAt`). */
      readonly sample: MeterSample | undefined;
      /** The charger's stop time, checked. */
      readonly stoppedAt: ChargerTime;
    })
  | (Base & {
      readonly type: 'meterValues';
      readonly connectorId: number;
      readonly transactionId: number | undefined;
      /** `sample.at` is `sampledAt.at`: the charger's sampling time, checked. */
      readonly sample: MeterSample;
      readonly sampledAt: ChargerTime;
    })
  | (Base & {
      readonly type: 'dataTransfer';
      readonly vendorId: string;
      readonly messageId: string | undefined;
      readonly data: string | undefined;
    })
  | (Base & { readonly type: 'diagnosticsStatus'; readonly status: string })
  | (Base & { readonly type: 'firmwareStatus'; readonly status: string });

export type ChargerEventType = ChargerEvent['type'];
