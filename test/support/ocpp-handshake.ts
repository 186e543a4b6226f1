/** An OCPP WebSocket handshake made by hand with Basic credentials, to read the server's HTTP answer itself. */
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';

/**
 * The server's answer to a WebSocket handshake for `identity` with `password` (none: no Authorization header) and any
 * further `headers` (which replace the usual ones): a refusal, or an upgrade (whose socket is closed at once).
 */
export function ocppHandshake(
  url: string,
  identity: string,
  password: string | undefined,
  headers: Readonly<Record<string, string>> = {},
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(`${url.replace('ws:', 'http:')}/${identity}`, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Protocol': 'ocpp1.6',
        ...(password !== undefined && {
          Authorization: `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}`,
        }),
        ...headers,
      },
    });
    req.once('response', (response: IncomingMessage) => {
      response.resume();
      resolve(response);
    });
    req.once('upgrade', (response: IncomingMessage, socket) => {
      socket.destroy();
      resolve(response);
    });
    req.once('error', reject);
    req.end();
  });
}

/** The status of a handshake for `identity` with a wrong password (a charger with a mistyped one). */
export const wrongPassword = async (url: string, identity: string): Promise<number> =>
  (await ocppHandshake(url, identity, 'not-the-password-123')).statusCode ?? 0;
