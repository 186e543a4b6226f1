/**
 * A real OCPP 1.6 charge point (ocpp-rpc) that boots against an agent and notes every call the agent sent it before its
 * boot was answered: what protects a charger before it may start a transaction (docs/ocpp.md, "At boot").
 */
import type { RPCClient } from 'ocpp-rpc';
import { FAIL_SAFE_PROFILE_ID, IDLE_HOLD_PROFILE_ID } from '../../../../edge/ocpp/charging-profile';
import { rawChargePoint } from '../../ocpp/support/raw-charge-point';
import { passwordOf } from './edge-fixture';

/** The profile a SetChargingProfile call installs, or the call's method. */
function callName(method: string, params: unknown): string {
  const profile = (params as { csChargingProfiles?: { chargingProfileId?: number } }).csChargingProfiles;
  if (method !== 'SetChargingProfile') return method;
  if (profile?.chargingProfileId === FAIL_SAFE_PROFILE_ID) return 'fail-safe';
  return profile?.chargingProfileId === IDLE_HOLD_PROFILE_ID ? 'idle hold' : 'lease';
}

export interface BootSeen {
  readonly client: RPCClient;
  /** The boot's answer. */
  readonly status: string;
  /** The calls the agent sent before that answer ('fail-safe', 'idle hold', 'lease' or the method). */
  readonly beforeAnswer: readonly string[];
}

/** Connects `chargerId` to `ocppUrl` as a charger taking profiles in amperes on three stack levels, and boots it. */
export async function bootSeen(ocppUrl: string, chargerId: string): Promise<BootSeen> {
  const client = rawChargePoint({ endpoint: ocppUrl, identity: chargerId, password: passwordOf(chargerId) });
  const received: string[] = [];
  client.handle(({ method, params }) => {
    received.push(callName(method!, params));
    if (method !== 'GetConfiguration') return Promise.resolve({ status: 'Accepted' });
    return Promise.resolve({
      configurationKey: [
        { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current' },
        { key: 'ChargeProfileMaxStackLevel', readonly: true, value: '3' },
        { key: 'ChargingScheduleMaxPeriods', readonly: true, value: '4' },
      ],
    });
  });
  await client.connect();
  const answer = (await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X1' })) as {
    status: string;
  };
  return { client, status: answer.status, beforeAnswer: [...received] };
}
