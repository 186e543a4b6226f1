/**
 * What the control loop is told, in its own terms: charger events and grid meter readings. The OCPP layer and the
 * meter drivers adapt to these (edge/ocpp/control-inputs.ts, edge/meter/grid-meter-sample.ts); control imports neither.
 */
import type { MessageRef } from '../../shared/server-messages';
import type { ConnectorStatus, Measurement, MeterReading } from '../../shared/site/site-state';
import type { ChargerTime } from './charger-time';
import type { GridImport } from './demand-control';

interface Base {
  readonly chargerId: string;
  /** When it was received (epoch ms, our clock); the charger's own times, checked, are in the payload. */
  readonly at: number;
}

/** The charger events the loop acts on; the rest (boots, heartbeats, authorizations, vendor data) do not change limits. */
export type ChargerInput =
  | (Base & { readonly type: 'connected' })
  | (Base & { readonly type: 'disconnected' })
  /**
   * An accepted BootNotification. `triggered`: the charger sent it because we asked (TriggerMessage, a cluster
   * takeover) and has not rebooted; otherwise it rebooted, or is new, and may hold no charging profile at all.
   */
  | (Base & { readonly type: 'booted'; readonly triggered: boolean })
  | (Base & {
      readonly type: 'configured';
      /** `NumberOfConnectors`: connectors beyond it are refused rather than adopted. */
      readonly capabilities: { readonly numberOfConnectors: number | undefined };
      /** False when the charger refused the fail-safe default profile: it would fall back to its own maximum. */
      readonly failSafeInstalled: boolean;
    })
  | (Base & { readonly type: 'status'; readonly connectorId: number; readonly status: ConnectorStatus })
  | (Base & {
      readonly type: 'transactionStarted';
      readonly connectorId: number;
      readonly transactionId: number;
      readonly idTag: string;
      /** The id tag's status as answered; only `Accepted` starts a session. */
      readonly status: string;
      readonly meterStartWh: number;
      readonly startedAt: ChargerTime;
      /**
       * Another master started it and this node adopts it (a cluster takeover): that master's last lease on the
       * connector is unknown here and may still run.
       */
      readonly adopted?: true;
    })
  | (Base & {
      readonly type: 'transactionStopped';
      readonly transactionId: number;
      readonly meterStopWh: number;
      readonly reason: string;
      readonly stoppedAt: ChargerTime;
    })
  | (Base & {
      readonly type: 'meterValues';
      readonly connectorId: number;
      readonly transactionId: number | undefined;
      /** The car's draw per phase and the energy register, when the charger reported them. */
      readonly sample: { readonly measurement?: Measurement; readonly energyWh?: number };
      readonly sampledAt: ChargerTime;
    });

/** One grid meter poll: the reading (zero amps when invalid) and, for an invalid one, why. */
export interface MeterInput {
  readonly reading: MeterReading;
  /** Said with a stable reason (shared/meter-faults.ts), so the event lines it reaches show in the reader's language. */
  readonly fault: MessageRef | undefined;
  /** The site's import at a valid reading (peak-demand control counts it on the grid connection's meter). */
  readonly gridImport?: GridImport;
}
