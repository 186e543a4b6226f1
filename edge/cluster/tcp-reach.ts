/**
 * Whether a peer's agent can be reached: a TCP connection to the OCPP port it announced, on each of its addresses at
 * once, each given at most `timeoutMs`; the first that is taken answers. Its OCPP port rather than its etcd port: it is
 * the path the chargers take to that node, and the agent listens on it as master and as standby, so a connection
 * taken proves the agent's process up and routable from here; etcd's port would prove only its etcd member (and the
 * witness has one too). Nothing is sent: the connection is closed once made.
 */
import net from 'node:net';

export async function firstReachable(
  addresses: readonly string[],
  port: number,
  timeoutMs: number,
): Promise<string | undefined> {
  const tries = addresses.map((address) => connects(address, port, timeoutMs).then((ok) => (ok ? address : undefined)));
  const answers = await Promise.all(tries);
  const address = answers.find((a) => a !== undefined);
  return address === undefined ? undefined : `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

function connects(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
