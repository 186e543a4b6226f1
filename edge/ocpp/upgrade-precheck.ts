/**
 * Checks on a WebSocket upgrade before ocpp-rpc sees it. Security profile 1 asks a charger for its password (RFC
 * 7617): an upgrade without credentials is answered 401 with a `WWW-Authenticate: Basic` challenge, so a charger that
 * sends its password only once asked connects on its second try instead of never. An identity or address locked out
 * after failed passwords is answered 429 with `Retry-After` (RFC 6585), before any password is checked: ocpp-rpc's
 * own refusal can carry no headers. A malformed `Sec-WebSocket-Protocol` header or identity is the client's error,
 * 400 (ocpp-rpc would throw on either and answer 500, or not at all). In a cluster, a node that is not the master
 * answers 503: the charger retries, and reaches the master once the virtual address has moved to it.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AuthThrottle } from '../security/auth-throttle';
import type { MasterGate } from './central-system-ports';

/** An RFC 7230 token, what each subprotocol name must be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export type UpgradeRefusal =
  | { readonly status: 400 | 401 | 503; readonly reason: string }
  | { readonly status: 429; readonly reason: string; readonly retryAfterSeconds: number }
  | undefined;

export interface UpgradeChecks {
  readonly basicAuth: boolean;
  readonly throttle: AuthThrottle;
  /** In a cluster: connections are taken only while this node is the master. */
  readonly master?: Pick<MasterGate, 'serving'>;
}

/** The charge point identity as ocpp-rpc reads it (the last path segment, percent-decoded), or undefined when malformed. */
function identityOf(url: string | undefined): string | undefined {
  try {
    return decodeURIComponent(new URL(`http://localhost${url ?? '/'}`).pathname.split('/').pop() ?? '');
  } catch {
    return undefined;
  }
}

/** Why `request` is refused before the handshake, if it is. */
export function precheckUpgrade(request: IncomingMessage, checks: UpgradeChecks): UpgradeRefusal {
  if (checks.master !== undefined && !checks.master.serving())
    return { status: 503, reason: 'this node is not the cluster master' };
  const protocols = request.headers['sec-websocket-protocol'];
  if (protocols !== undefined) {
    const names = protocols.split(',').map((p) => p.trim());
    if (names.some((name) => !TOKEN.test(name)) || new Set(names).size !== names.length)
      return { status: 400, reason: 'malformed Sec-WebSocket-Protocol header' };
  }
  const identity = identityOf(request.url);
  if (identity === undefined) return { status: 400, reason: 'malformed charge point identity' };
  if (!checks.basicAuth) return undefined;
  if (request.headers.authorization === undefined) return { status: 401, reason: 'no credentials' };
  const locked = checks.throttle.check({ identity, address: request.socket.remoteAddress });
  if (locked !== undefined)
    return {
      status: 429,
      reason: 'too many failed attempts',
      retryAfterSeconds: Math.ceil(locked.retryAfterMs / 1000),
    };
  return undefined;
}

const STATUS_LINES = {
  400: '400 Bad Request',
  401: '401 Unauthorized',
  429: '429 Too Many Requests',
  503: '503 Service Unavailable',
} as const;

/** Answers a refused upgrade on its socket and closes it. */
export function refuseUpgrade(socket: Duplex, refusal: NonNullable<UpgradeRefusal>): void {
  const extra =
    refusal.status === 401
      ? 'WWW-Authenticate: Basic realm="ocpp", charset="UTF-8"\r\n'
      : refusal.status === 429
        ? `Retry-After: ${refusal.retryAfterSeconds}\r\n`
        : '';
  const body = refusal.reason;
  const answer = `HTTP/1.1 ${STATUS_LINES[refusal.status]}\r\n${extra}Connection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  if (socket.writable) socket.end(answer, () => socket.destroy());
  else socket.destroy();
}
