import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DASHBOARD_MAX_BODY_BYTES } from '../../../../edge/dashboard/http/body-limit';
import { ORIGIN, startHarness, type Harness } from './dashboard-harness';

/** POSTs `totalBytes` to `path` in 64 KiB chunks as they are asked for (chunked, no Content-Length); the answer's status and body. */
function streamPost(port: number, path: string, totalBytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // Same origin as the server itself: an attacker sets whatever Origin passes the check.
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${port}` },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // The server stops reading once the limit is passed: writes after its answer may fail, which is the point.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < totalBytes && !answered) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('dashboard: request body limit', () => {
  let h: Harness;
  let server: ServerType;
  let port: number;

  beforeEach(async () => {
    h = startHarness();
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: h.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    h.close();
  });

  it('should answer 413 with the limit to a huge sign-in body, while reading it, and stay up', async () => {
    // Act: three parallel 64 MiB bodies without a Content-Length (the attack that ran the agent out of memory)
    const answers = await Promise.all([0, 1, 2].map(() => streamPost(port, '/api/login', 64 * 1024 * 1024)));
    const after = await fetch(`http://127.0.0.1:${port}/api/session`, { headers: { Origin: ORIGIN } });

    // Assert
    for (const answer of answers) {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({
        error: 'message.tooLarge',
        message: `the request body is larger than ${DASHBOARD_MAX_BODY_BYTES} bytes`,
      });
    }
    expect(after.status).toBe(200);
  });

  it('should refuse a declared Content-Length over the limit before reading anything', async () => {
    // Act
    const response = await h.call('POST', '/api/login', { rawBody: 'x'.repeat(DASHBOARD_MAX_BODY_BYTES + 1) });

    // Assert
    expect(response.status).toBe(413);
  });
});
