/** An OCPP WebSocket handshake with a wrong password, as a charger with a mistyped one would make (a failed sign-in). */
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';

/** The status of a WebSocket handshake for `identity` with a wrong password. */
export function wrongPassword(ocppUrl: string, identity: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${ocppUrl.replace('ws:', 'http:')}/${identity}`, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Protocol': 'ocpp1.6',
        Authorization: `Basic ${Buffer.from(`${identity}:not-the-password-123`).toString('base64')}`,
      },
    });
    req.once('response', (response: IncomingMessage) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}
