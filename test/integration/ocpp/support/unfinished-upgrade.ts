/** A connection to the central system whose WebSocket upgrade request is not finished: a handshake kept under way. */
import net from 'node:net';

/** A charger's upgrade request up to its last header line, without the blank line that ends it. */
export function unfinishedUpgrade(host: string, charger: { id: string; password: string }): string {
  const auth = Buffer.from(`${charger.id}:${charger.password}`).toString('base64');
  return [
    `GET /ocpp/${charger.id} HTTP/1.1`,
    `Host: ${host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Key: ${Buffer.from('0123456789abcdef').toString('base64')}`,
    'Sec-WebSocket-Protocol: ocpp1.6',
    `Authorization: Basic ${auth}`,
    '',
  ].join('\r\n');
}

/** Opens a TCP connection to the central system and sends `text`; resolves with the socket once it is sent. */
export function dial(url: string, text: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(text, () => resolve(socket)));
    socket.once('error', reject);
  });
}
