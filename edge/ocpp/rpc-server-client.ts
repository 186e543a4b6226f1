/** The typed face of ocpp-rpc's per-connection client, which its typings do not export from the package root. */
import type { RPCClient } from 'ocpp-rpc';
import type { IHandshakeInterface } from 'ocpp-rpc/lib/server-client';

export type RpcServerClient = RPCClient & { readonly identity: string; readonly handshake: IHandshakeInterface };
