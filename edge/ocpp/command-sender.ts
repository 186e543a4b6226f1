/** Sends one typed command to a charge point and turns every outcome into a typed result. */
import ocppRpc from 'ocpp-rpc';
import { parseOrThrow } from '../../shared/validation';
import {
  COMMANDS,
  isAccepted,
  type CommandName,
  type CommandRequest,
  type CommandResponse,
} from './central-system-commands';

// The error classes are spread into ocpp-rpc's CommonJS exports, which Node's ESM loader cannot name: take them from the default export.
const { RPCError, TimeoutError } = ocppRpc;

/** What became of a command. `error`: the charger answered with a CALLERROR (or an answer we cannot read). */
export type CommandResult<K extends CommandName> =
  | { readonly kind: 'accepted'; readonly response: CommandResponse<K> }
  | { readonly kind: 'rejected'; readonly response: CommandResponse<K> }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'notConnected' };

/** The part of an ocpp-rpc client that sends calls. */
export interface RpcCaller {
  call(method: string, params?: unknown, options?: Record<string, unknown>): Promise<unknown>;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

/**
 * Sends `name` to a connected charger. Our request is checked with zod first (a bad request is our bug and throws AppError);
 * the charger's answer is parsed, never trusted.
 */
export async function sendCommand<K extends CommandName>(
  peer: RpcCaller | undefined,
  name: K,
  request: CommandRequest<K>,
  timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
): Promise<CommandResult<K>> {
  const spec = COMMANDS[name];
  const params = parseOrThrow(spec.request, request, 'message.invalid', `${name} request`);
  if (peer === undefined) return { kind: 'notConnected' };
  let raw: unknown;
  try {
    raw = await peer.call(name, params, { callTimeoutMs: timeoutMs });
  } catch (error) {
    return failure(error);
  }
  const parsed = spec.response.safeParse(raw);
  if (!parsed.success) return { kind: 'error', code: 'FormationViolation', message: `unreadable ${name} response` };
  const response = parsed.data as CommandResponse<K>;
  return isAccepted(response) ? { kind: 'accepted', response } : { kind: 'rejected', response };
}

/** What a call that threw became: a CALLERROR, a timeout, or a connection that is closing or gone. */
export function failure(
  error: unknown,
): { kind: 'error'; code: string; message: string } | { kind: 'timeout' } | { kind: 'notConnected' } {
  if (error instanceof TimeoutError) return { kind: 'timeout' };
  if (error instanceof RPCError) return { kind: 'error', code: error.rpcErrorCode, message: error.message };
  // ocpp-rpc rejects pending and new calls with plain errors once the socket is closing or gone.
  return { kind: 'notConnected' };
}
