import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { peerTransactionSource, startPeerEndpoint } from '../../../../edge/cluster/peer-link';
import type { PeerCursor, TransactionPage } from '../../../../edge/cluster/transaction-merge';
import { AppError } from '../../../../shared/errors';

const SECRET = 'the-secret-both-gateways-share-0123456789';
const PAGE: TransactionPage = {
  records: [
    {
      transactionId: 7,
      stop: { stoppedAt: 2_000, meterStopWh: 4_000, reason: 'Local', receivedAt: 2_000, source: 'charger' },
    },
  ],
  next: 3,
  epoch: 'epoch-1',
  more: false,
};
const START = { epoch: '', seq: 0 };

describe('the link between the two gateways', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function endpoint(now = () => Date.now()) {
    const warnings: string[] = [];
    const asked: [PeerCursor, number][] = [];
    const served = await startPeerEndpoint({
      host: '127.0.0.1',
      port: 0,
      secret: SECRET,
      exchange: {
        page: (cursor, limit) => {
          asked.push([cursor, limit]);
          return PAGE;
        },
      },
      now,
      log: { warn: (_data, message) => warnings.push(message) },
    });
    cleanups.push(() => served.close());
    return { url: `http://127.0.0.1:${served.port}`, warnings, asked };
  }

  const source = (url: string, secret = SECRET, now = () => Date.now()) =>
    peerTransactionSource({ url, secret, timeoutMs: 2_000, now });

  it("should give the other node this node's page when it signs with the site's secret", async () => {
    const { url, asked } = await endpoint();
    await expect(source(url).page({ epoch: 'epoch-0', seq: 2 }, 50)).resolves.toEqual(PAGE);
    expect(asked).toEqual([[{ epoch: 'epoch-0', seq: 2 }, 50]]);
  });

  it('should refuse a request signed with another secret, or signed too long ago, and give it nothing', async () => {
    // Arrange
    const { url, warnings, asked } = await endpoint();

    // Act / Assert
    await expect(source(url, `${SECRET}-other`).page(START, 50)).rejects.toThrow(/answered 401/);
    await expect(source(url, SECRET, () => Date.now() - 120_000).page(START, 50)).rejects.toThrow(/answered 401/);
    expect(asked).toEqual([]);
    expect(warnings).toEqual([
      'peer request refused: bad or stale signature',
      'peer request refused: bad or stale signature',
    ]);
  });

  it('should refuse a page altered on the way, so that nothing of it is merged', async () => {
    // Arrange: a relay that changes the meter reading in the answer
    const { url } = await endpoint();
    const target = new URL(url);
    const relay = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => client.write(chunk.toString('latin1').replace('4000', '9000'), 'latin1'));
      upstream.on('end', () => client.end());
      for (const socket of [client, upstream]) socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => relay.close(resolve)));
    const port = (relay.address() as net.AddressInfo).port;

    // Act
    const error = await source(`http://127.0.0.1:${port}`)
      .page(START, 50)
      .catch((e: unknown) => e);

    // Assert
    expect(AppError.match(error, 'auth.unauthenticated')).toBe(true);
  });

  it('should refuse a page size out of bounds', async () => {
    const { url } = await endpoint();
    await expect(source(url).page(START, 10_000)).rejects.toThrow(/answered 400/);
  });
});
