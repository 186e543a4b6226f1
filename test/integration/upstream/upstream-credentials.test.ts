/**
 * What a CSMS sees of the agent's connections: the charger's identity and path, the configured Basic auth password, the
 * CSMS's CA and a client certificate (security profile 3). A plain ocpp-rpc RPCServer plays the CSMS here, because
 * ts-ocpp's CentralSystem shows neither credentials nor TLS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { RPCServer } from 'ocpp-rpc';
import type { IHandshakeInterface } from 'ocpp-rpc/lib/server-client';
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { rawChargePoint } from '../ocpp/support/raw-charge-point';
import { throwawayCertificate } from '../ocpp/support/throwaway-certificate';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { eventually } from '../../support/eventually';

interface SeenHandshake {
  readonly identity: string;
  readonly endpoint: string;
  readonly password: string | undefined;
  readonly clientCertificate: string | undefined;
}

function recordingCsms(): { rpc: RPCServer; seen: SeenHandshake[] } {
  const seen: SeenHandshake[] = [];
  const rpc = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  rpc.auth((accept, _reject, handshake: IHandshakeInterface) => {
    const socket = handshake.request.socket as Partial<TLSSocket>;
    const peer = socket.getPeerCertificate?.();
    seen.push({
      identity: handshake.identity,
      endpoint: handshake.endpoint,
      password: handshake.password?.toString('utf8'),
      clientCertificate: peer?.fingerprint256,
    });
    accept({}, 'ocpp1.6');
  });
  return { rpc, seen };
}

describe('edge agent in front of a CSMS: credentials', () => {
  let edge: EdgeFixture | undefined;
  const clients: RPCClient[] = [];
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close({ force: true });
    await edge?.close();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    edge = undefined;
  });

  async function connect(id: string): Promise<void> {
    if (edge === undefined) throw new Error('no agent');
    const client = rawChargePoint({ endpoint: edge.agent.ocppUrl, identity: id, password: passwordOf(id) });
    clients.push(client);
    await client.connect();
  }

  it("should connect each charger with its identity and path, and its own password or the site's", async () => {
    // Arrange
    const { rpc, seen } = recordingCsms();
    const http = await rpc.listen(0, '127.0.0.1');
    cleanups.push(() => rpc.close({ force: true }));
    const port = (http.address() as AddressInfo).port;
    edge = await startEdge({
      chargers: 2,
      upstream: {
        csmsUrl: `ws://127.0.0.1:${port}/operator/ocpp16`,
        password: 'site-wide-upstream',
        chargers: { 'CP-2': { password: 'cp2-own-upstream' } },
      },
    });

    // Act
    await connect('CP-1');
    await connect('CP-2');
    await eventually('both upstream handshakes', () => seen.length === 2);

    // Assert
    expect([...seen].sort((a, b) => a.identity.localeCompare(b.identity))).toEqual([
      { identity: 'CP-1', endpoint: '/operator/ocpp16', password: 'site-wide-upstream', clientCertificate: undefined },
      { identity: 'CP-2', endpoint: '/operator/ocpp16', password: 'cp2-own-upstream', clientCertificate: undefined },
    ]);
  });

  it("should trust the CSMS's CA and present the client certificate (security profile 3)", async () => {
    // Arrange: the CSMS's certificate, and ours, each self-signed; the CSMS requires ours
    const csmsCert = throwawayCertificate();
    const ourCert = throwawayCertificate();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-upstream-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const { rpc, seen } = recordingCsms();
    const https: Server = createServer({
      cert: csmsCert.cert,
      key: csmsCert.key,
      requestCert: true,
      rejectUnauthorized: true,
      ca: [ourCert.cert],
    });
    https.on('upgrade', (request, socket, head) => void rpc.handleUpgrade(request, socket as Socket, head));
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      await rpc.close({ force: true });
      https.closeAllConnections();
      await new Promise((resolve) => https.close(resolve));
    });
    const port = (https.address() as AddressInfo).port;
    edge = await startEdge({
      chargers: 1,
      upstream: {
        csmsUrl: `wss://127.0.0.1:${port}/ocpp`,
        tls: {
          caPath: file('csms-ca.pem', csmsCert.cert),
          certPath: file('client.pem', ourCert.cert),
          keyPath: file('client-key.pem', ourCert.key),
        },
      },
    });

    // Act
    await connect('CP-1');
    await eventually('the upstream handshake', () => seen.length === 1);

    // Assert
    expect(seen[0]).toMatchObject({ identity: 'CP-1', endpoint: '/ocpp' });
    expect(seen[0]?.clientCertificate).toBe(new X509Certificate(ourCert.cert).fingerprint256);
  });
});
