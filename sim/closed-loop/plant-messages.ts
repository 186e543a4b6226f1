/**
 * What passes between the site plant and a controller: the leases and answers of the calls a controller makes, and the
 * events a charger or a meter sends. Its own file because the runner, the tests and the plant's parts all speak it,
 * while only the plant knows how a site behaves.
 */
import type { ConnectorStatus } from '../../shared/site/site-state';
import type { PhaseAmps } from '../../shared/units';

export interface PlantLease {
  readonly connectorId: number;
  readonly transactionId: number;
  readonly amps: number;
  /** Epoch ms: the end of `amps`. */
  readonly validTo: number;
  /** The lease's last period, for the rest of the transaction; without it the charger's defaults apply after `validTo`. */
  readonly fallbackAmps?: number;
}

export type PlantAnswer = 'accepted' | 'rejected' | 'timeout' | 'notConnected';

export type PlantEvent =
  /** `booted`: it connects after a boot (new, or rebooted) and holds no profile until its boot configuration lands. */
  | { readonly kind: 'connected'; readonly chargerId: string; readonly booted: boolean }
  | { readonly kind: 'disconnected'; readonly chargerId: string }
  | {
      readonly kind: 'status';
      readonly chargerId: string;
      readonly connectorId: number;
      readonly status: ConnectorStatus;
    }
  | {
      readonly kind: 'started';
      readonly chargerId: string;
      readonly connectorId: number;
      readonly transactionId: number;
      readonly idTag: string;
    }
  | {
      readonly kind: 'stopped';
      readonly chargerId: string;
      readonly transactionId: number;
      readonly meterStopWh: number;
    }
  | {
      readonly kind: 'meterValues';
      readonly chargerId: string;
      readonly connectorId: number;
      readonly transactionId: number;
      readonly amps: PhaseAmps;
      readonly energyWh: number;
    }
  /** A grid meter poll; `amps` is undefined when the meter did not answer. */
  | { readonly kind: 'meter'; readonly meterId: string; readonly amps: PhaseAmps | undefined };

export type PlantListener = (event: PlantEvent) => void;
