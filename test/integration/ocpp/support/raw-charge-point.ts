/** A bare ocpp-rpc charge point for tests that script frames by hand (ocpp-rpc's typings demand every option). */
import { RPCClient } from 'ocpp-rpc';
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client';

export function rawChargePoint(
  options: { endpoint: string; identity: string; password?: string; strictMode?: boolean } & Partial<RPC_ClientOptions>,
): RPCClient {
  return new RPCClient({ protocols: ['ocpp1.6'], strictMode: true, reconnect: false, ...options } as RPC_ClientOptions);
}
