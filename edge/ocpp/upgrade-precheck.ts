/**
 * Checks on a WebSocket upgrade before ocpp-rpc sees it. Security profile 1 asks a charger for its password (RFC
 * 7617): an upgrade without credentials is answered 401 with a `WWW-Authenticate: Basic` challenge, so a charger that
 * sends its password only once asked connects on its second try instead of never. A malformed
 * `Sec-WebSocket-Protocol` header is the client's error, 400 (ocpp-rpc would throw on it and answer 500).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** An RFC 7230 token, what each subprotocol name must be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export type UpgradeRefusal = { readonly status: 400 | 401; readonly reason: string } | undefined;

/** Why `request` is refused before the handshake, if it is. */
export function precheckUpgrade(request: IncomingMessage, basicAuth: boolean): UpgradeRefusal {
  const protocols = request.headers['sec-websocket-protocol'];
  if (protocols !== undefined) {
    const names = protocols.split(',').map((p) => p.trim());
    if (names.some((name) => !TOKEN.test(name)) || new Set(names).size !== names.length) return { status: 400, reason: 'malformed Sec-WebSocket-Protocol header' };
  }
  if (basicAuth && request.headers.authorization === undefined) return { status: 401, reason: 'no credentials' };
  return undefined;
}

/** Answers a refused upgrade on its socket and closes it. */
export function refuseUpgrade(socket: Duplex, refusal: NonNullable<UpgradeRefusal>): void {
  const status = refusal.status === 401 ? '401 Unauthorized' : '400 Bad Request';
  const challenge = refusal.status === 401 ? 'WWW-Authenticate: Basic realm="ocpp", charset="UTF-8"\r\n' : '';
  const body = refusal.reason;
  const answer = `HTTP/1.1 ${status}\r\n${challenge}Connection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  if (socket.writable) socket.end(answer, () => socket.destroy());
  else socket.destroy();
}
