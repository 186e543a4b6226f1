/**
 * Test support: the CSMS's TxProfile/TxDefaultProfile calls kept as they came, newest last, answered Accepted, so a test
 * sees exactly what the upstream link handed over (the agent itself evaluates them: edge/upstream/csms-limits.ts).
 */
import type { UpstreamLimits } from '../../../../edge/upstream/upstream-limits-port';

export interface RecordedLimitCall {
  readonly action: 'SetChargingProfile' | 'ClearChargingProfile';
  readonly payload: unknown;
}

/** More profiles than any charger's stack holds (ChargeProfileMaxStackLevel is rarely above 10). */
const MAX_RECORDED_PER_CHARGER = 64;

export class RecordedUpstreamLimits implements UpstreamLimits {
  private readonly byCharger = new Map<string, RecordedLimitCall[]>();

  record(chargerId: string, action: RecordedLimitCall['action'], payload: unknown): Promise<'Accepted'> {
    this.keep(chargerId, action, payload);
    return Promise.resolve('Accepted');
  }

  /** A RemoteStartTransaction's profile is kept as it came, as a SetChargingProfile for its connector. */
  remoteStart(chargerId: string, connectorId: number | undefined, profile: unknown): void {
    this.keep(chargerId, 'SetChargingProfile', { connectorId, csChargingProfiles: profile });
  }

  private keep(chargerId: string, action: RecordedLimitCall['action'], payload: unknown): void {
    const calls = this.byCharger.get(chargerId) ?? [];
    calls.push({ action, payload });
    if (calls.length > MAX_RECORDED_PER_CHARGER) calls.shift();
    this.byCharger.set(chargerId, calls);
  }

  /** What the CSMS sent for `chargerId`, oldest first. */
  calls(chargerId: string): readonly RecordedLimitCall[] {
    return this.byCharger.get(chargerId) ?? [];
  }
}
