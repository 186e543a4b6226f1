/**
 * The two gateways of a site without a witness talk to each other over one HTTP endpoint (docs/cluster.md, "Merging
 * the two gateways' records"): `GET /cluster/transactions?after=<seq>&epoch=<id>&limit=<n>` answers a page of this node's
 * closed transactions and stray stops. There is no etcd on such a site, and the exchange must work exactly when the
 * two could not reach each other for a while, so it is a direct link. Both sides hold one shared secret, which never
 * crosses the wire: a request carries an HMAC-SHA256 of its time and target, refused when wrong or older than
 * `MAX_SKEW_MS`; the answer carries an HMAC of the request's signature and its body, so that a page cannot be
 * replayed to another request nor altered on the way. The site's LAN is trusted no further than that: the link is
 * plain HTTP, so what it carries (charger ids, id tags, energy) can be read on the LAN, as the OCPP traffic can.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../shared/errors';
import type { PeerTransactionSource } from './peer-transaction-sync';
import { type TransactionExchange, TransactionPageSchema } from './transaction-merge';

const PATH = '/cluster/transactions';
/** The two gateways' clocks may differ this much (NTP on both keeps them far closer). */
const MAX_SKEW_MS = 60_000;
const MAX_LIMIT = 500;
const MAX_EPOCH_LENGTH = 64;
/** A page of MAX_LIMIT records is far below this. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
const TIME_HEADER = 'x-ampshare-time';
const SIGNATURE_HEADER = 'x-ampshare-signature';

function hmac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

function equalSignatures(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface PeerEndpointOptions {
  readonly host: string;
  readonly port: number;
  readonly secret: string;
  readonly exchange: Pick<TransactionExchange, 'page'>;
  readonly now: () => number;
  readonly log: { warn(data: object, message: string): void };
}

export interface PeerEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves this node's page to the other node. */
export async function startPeerEndpoint(options: PeerEndpointOptions): Promise<PeerEndpoint> {
  const server = createServer((request, response) => answer(request, response, options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(request: IncomingMessage, response: ServerResponse, options: PeerEndpointOptions): void {
  const reply = (status: number, body: string, signature?: string) => {
    response.writeHead(status, {
      'content-type': 'application/json',
      ...(signature !== undefined && { [SIGNATURE_HEADER]: signature }),
    });
    response.end(body);
  };
  const target = request.url ?? '';
  const url = new URL(target, 'http://peer');
  if (request.method !== 'GET' || url.pathname !== PATH) return reply(404, '{"error":"not found"}');
  const time = Number(request.headers[TIME_HEADER]);
  const signature = String(request.headers[SIGNATURE_HEADER] ?? '');
  if (
    !Number.isSafeInteger(time) ||
    Math.abs(options.now() - time) > MAX_SKEW_MS ||
    !equalSignatures(signature, hmac(options.secret, `${time}\nGET\n${target}`))
  ) {
    options.log.warn({ remote: request.socket.remoteAddress }, 'peer request refused: bad or stale signature');
    return reply(401, '{"error":"unauthenticated"}');
  }
  const after = Number(url.searchParams.get('after'));
  const epoch = url.searchParams.get('epoch') ?? '';
  const limit = Number(url.searchParams.get('limit'));
  if (
    !Number.isSafeInteger(after) ||
    after < 0 ||
    epoch.length > MAX_EPOCH_LENGTH ||
    !Number.isSafeInteger(limit) ||
    limit < 1 ||
    limit > MAX_LIMIT
  )
    return reply(400, '{"error":"after must be a cursor, epoch at most 64 characters and limit 1 to 500"}');
  const body = JSON.stringify(options.exchange.page({ epoch, seq: after }, limit));
  reply(200, body, hmac(options.secret, `${signature}\n${body}`));
}

export interface PeerClientOptions {
  /** The other node's endpoint, `http://host:port`. */
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs: number;
  readonly now: () => number;
}

/** The other node's pages, checked: a wrong signature or a page that does not parse is an error, never merged. */
export function peerTransactionSource(options: PeerClientOptions): PeerTransactionSource {
  return {
    async page(cursor, limit) {
      const target = `${PATH}?after=${cursor.seq}&epoch=${encodeURIComponent(cursor.epoch)}&limit=${limit}`;
      const time = options.now();
      const signature = hmac(options.secret, `${time}\nGET\n${target}`);
      const response = await fetch(new URL(target, options.url), {
        headers: { [TIME_HEADER]: String(time), [SIGNATURE_HEADER]: signature },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const body = await response.text();
      if (response.status !== 200)
        throw new AppError('storage.unavailable', `the other gateway answered ${response.status}`);
      if (body.length > MAX_ANSWER_BYTES)
        throw new AppError('message.tooLarge', "the other gateway's page is too large");
      const answered = response.headers.get(SIGNATURE_HEADER) ?? '';
      if (!equalSignatures(answered, hmac(options.secret, `${signature}\n${body}`)))
        throw new AppError('auth.unauthenticated', "the other gateway's page is not signed with the site's secret");
      const parsed = TransactionPageSchema.safeParse(JSON.parse(body));
      if (!parsed.success) throw new AppError('message.invalid', "the other gateway's page does not parse");
      return parsed.data;
    },
  };
}
