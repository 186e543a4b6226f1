/**
 * Security profile 1 asks a charger for its password (RFC 7617): a WebSocket upgrade without credentials is answered
 * 401 with a `WWW-Authenticate: Basic` challenge, so a charger that sends its password only once asked connects on
 * its second try instead of never.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const CHALLENGE =
  'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="ocpp", charset="UTF-8"\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nUnauthorized';

/** True (and the socket answered and closed) when `request` brings no credentials. */
export function challengedForCredentials(request: IncomingMessage, socket: Duplex): boolean {
  if (request.headers.authorization !== undefined) return false;
  if (socket.writable) socket.end(CHALLENGE, () => socket.destroy());
  else socket.destroy();
  return true;
}
