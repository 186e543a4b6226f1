/** Keeps each charger's boot record (vendor, model, firmware) from its BootNotification. */
import type { ChargerEventListener } from '../ocpp/central-system-ports';

export interface BootRecords {
  recordBoot(
    chargerId: string,
    boot: {
      readonly vendor: string;
      readonly model: string;
      readonly firmwareVersion: string | undefined;
      readonly at: number;
    },
  ): void;
}

/** The boot record is history: a disk that takes no writes must not turn the BootNotification into a CALLERROR. */
export function recordBoots(
  records: BootRecords,
  log: { warn(data: object, message: string): void },
): ChargerEventListener {
  return {
    onEvent(event) {
      if (event.type !== 'booted') return;
      try {
        records.recordBoot(event.chargerId, event);
      } catch (error) {
        log.warn({ err: error, chargerId: event.chargerId }, 'charger boot not stored: the data disk takes no writes');
      }
    },
  };
}
