/** What the control loop reports: allocations, dispatch outcomes, faults and sessions. */
import type { Allocation } from '../../shared/allocation/allocation-types';
import type { MessageRef } from '../../shared/server-messages';

export type ControlEvent =
  | { readonly type: 'allocation'; readonly at: number; readonly allocation: Allocation; readonly changed: boolean }
  | {
      readonly type: 'profileAccepted';
      readonly at: number;
      readonly chargerId: string;
      readonly connectorId: number;
      readonly amps: number;
      readonly change: 'decrease' | 'increase' | 'renewal';
    }
  | {
      readonly type: 'profileFailed';
      readonly at: number;
      readonly chargerId: string;
      readonly connectorId: number;
      readonly amps: number;
      readonly outcome: 'rejected' | 'error' | 'timeout' | 'notConnected';
      readonly failures: number;
      readonly retryInMs: number;
    }
  | { readonly type: 'chargerUnresponsive'; readonly at: number; readonly chargerId: string }
  | { readonly type: 'chargerResponsive'; readonly at: number; readonly chargerId: string }
  | {
      readonly type: 'meterLost';
      readonly at: number;
      readonly meterId: string;
      readonly circuitId: string;
      /** The meter's fault (shared/meter-faults.ts), or that it never gave a reading. */
      readonly reason: MessageRef;
    }
  | { readonly type: 'meterRecovered'; readonly at: number; readonly meterId: string; readonly circuitId: string }
  | {
      /** A listed charger reported a connector its site entry does not list; it is now controlled under that charger. */
      readonly type: 'connectorAdopted';
      readonly at: number;
      readonly ref: string;
      /** What showed the connector: a StatusNotification, a StartTransaction, or a session stored before a restart. */
      readonly cause: 'status' | 'transaction' | 'storedSession';
    }
  | {
      /** A connector that cannot be controlled; a transaction on it (`transactionId`) was answered Invalid. */
      readonly type: 'connectorRefused';
      readonly at: number;
      readonly ref: string;
      /** Why, by reason (`event.adoptionRefused.*`), so that each reader says it in its own language. */
      readonly reason: MessageRef;
      readonly transactionId: number | undefined;
    }
  | {
      readonly type: 'sessionStarted';
      readonly at: number;
      readonly ref: string;
      readonly transactionId: number;
      readonly idTag: string;
      /** The charger's start time (checked): earlier than `at` for a start the charger queued while offline. */
      readonly startedAt: number;
    }
  | {
      readonly type: 'sessionEnded';
      readonly at: number;
      readonly ref: string;
      readonly transactionId: number;
      /** From the stored session: a session that began before a restart keeps its start time and tag. */
      readonly startedAt: number;
      /** The charger's stop time (checked). */
      readonly stoppedAt: number;
      readonly idTag: string | undefined;
      readonly energyWh: number;
    }
  /** A store write failed (a full or read-only disk): history is paused, control carries on from memory. Once per episode. */
  | { readonly type: 'storagePaused'; readonly at: number; readonly reason: string }
  /** Every write that waited since `pausedAt` landed (`writes` of them). */
  | { readonly type: 'storageRecovered'; readonly at: number; readonly pausedAt: number; readonly writes: number };

export type ControlEventType = ControlEvent['type'];
