/**
 * A loopback port for a server that a test stops and starts again on the same port (a broker outage, an agent or a
 * CSMS restart), so that its clients prove they come back to the same address. Port 0 draws from the kernel's
 * ephemeral range, as does every other socket on the machine (a `listen(0)` in a test file running beside, any
 * outgoing connection): while the server is down one of them can take its port, and the restart fails with
 * EADDRINUSE or the clients reach a stranger. This port lies below that range, where only explicit binds go, and is
 * checked free when drawn.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 10_000;
/** Linux's default `net.ipv4.ip_local_port_range` starts here. */
const DEFAULT_EPHEMERAL_START = 32_768;
const ATTEMPTS = 50;

/** The first port the kernel hands out for port 0 and outgoing connections. */
export function ephemeralRangeStart(): number {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const port = Number(start);
    return Number.isInteger(port) && port > LOWEST ? port : DEFAULT_EPHEMERAL_START;
  } catch {
    return DEFAULT_EPHEMERAL_START;
  }
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A free port on `host` below the ephemeral range, for a server that will listen there more than once. */
export async function restartPort(host = '127.0.0.1'): Promise<number> {
  const end = ephemeralRangeStart();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (end - LOWEST));
    if (await isFree(port, host)) return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${end} on ${host} after ${ATTEMPTS} draws`);
}
