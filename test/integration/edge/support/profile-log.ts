/** The SetChargingProfile calls and answers the virtual chargers see on the wire, in the order they happen. */
import type { VirtualCharger } from '../../../../sim/charger/virtual-charger';

export interface ProfileFrame {
  readonly seq: number;
  readonly chargerId: string;
  readonly kind: 'call' | 'answer';
  readonly connectorId: number;
  readonly limit: number | undefined;
  readonly purpose: string | undefined;
  readonly status: string | undefined;
}

export class ProfileLog {
  readonly frames: ProfileFrame[] = [];
  private seq = 0;

  attach(charger: VirtualCharger): void {
    const calls = new Map<string, { connectorId: number; limit: number | undefined; purpose: string | undefined }>();
    charger.client.on('message', ({ message, outbound }: { message: string | Buffer; outbound: boolean }) => {
      const frame = JSON.parse(String(message)) as unknown[];
      const [type, id, a, b] = frame as [number, string, unknown, unknown];
      if (!outbound && type === 2 && a === 'SetChargingProfile') {
        const params = b as {
          connectorId: number;
          csChargingProfiles: {
            chargingProfilePurpose: string;
            chargingSchedule: { chargingSchedulePeriod: { limit: number }[] };
          };
        };
        const call = {
          connectorId: params.connectorId,
          limit: params.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]?.limit,
          purpose: params.csChargingProfiles.chargingProfilePurpose,
        };
        calls.set(id, call);
        this.frames.push({ seq: this.seq++, chargerId: charger.spec.id, kind: 'call', ...call, status: undefined });
      }
      const call = calls.get(id);
      if (outbound && type === 3 && call !== undefined) {
        calls.delete(id);
        this.frames.push({
          seq: this.seq++,
          chargerId: charger.spec.id,
          kind: 'answer',
          ...call,
          status: (a as { status: string }).status,
        });
      }
    });
  }

  /** Lease calls (TxProfiles) only, as [chargerId, limit]. */
  leases(): ProfileFrame[] {
    return this.frames.filter((f) => f.purpose === 'TxProfile');
  }
}
