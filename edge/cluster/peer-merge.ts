/**
 * A two-gateway node's side of the merge (docs/cluster.md, "Merging the two gateways' records"): it answers the other
 * node's requests for its records (peer-link.ts) and asks the other node for its own every `syncIntervalSeconds`
 * (peer-transaction-sync.ts). A round that fails (the other gateway down or cut off) is tried again at the next
 * interval; nothing is lost meanwhile, since each node keeps its records until the other has taken them.
 */
import { AppError } from '../../shared/errors';
import type { ChargerInputSink } from '../ocpp/control-inputs';
import type { ClusterConfig } from './cluster-config';
import { type PeerEndpoint, peerTransactionSource, startPeerEndpoint } from './peer-link';
import { type PeerSyncRound, pullPeerTransactions } from './peer-transaction-sync';
import type { TransactionExchange } from './transaction-merge';

/** The shortest secret accepted: 32 characters of a random string are well past guessing. */
const MIN_SECRET_LENGTH = 32;

export interface PeerMergeLog {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
}

export interface PeerMergeParts {
  readonly exchange: TransactionExchange;
  readonly control: ChargerInputSink;
}

export class PeerMerge {
  private endpoint: PeerEndpoint | undefined;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<PeerSyncRound | undefined> | undefined;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly config: NonNullable<ClusterConfig['peer']>,
    private readonly secret: string,
    private readonly deps: { readonly now: () => number; readonly log: PeerMergeLog },
  ) {
    if (secret.length < MIN_SECRET_LENGTH)
      throw new AppError(
        'config.invalid',
        `cluster.peer.secretFile must hold at least ${MIN_SECRET_LENGTH} characters (the secret both gateways share)`,
      );
  }

  /** The port the endpoint listens on, once started (0 in the configuration picks a free one). */
  get port(): number | undefined {
    return this.endpoint?.port;
  }

  async start(parts: PeerMergeParts): Promise<void> {
    const { config, deps } = this;
    this.endpoint = await startPeerEndpoint({
      host: config.listenHost,
      port: config.listenPort,
      secret: this.secret,
      exchange: parts.exchange,
      now: deps.now,
      log: deps.log,
    });
    if (this.stopped) return void (await this.endpoint.close());
    const source = peerTransactionSource({
      url: config.url,
      secret: this.secret,
      timeoutMs: 5_000,
      now: deps.now,
    });
    const pull = () => {
      this.round ??= pullPeerTransactions({ source, exchange: parts.exchange, control: parts.control, now: deps.now })
        .then((round) => this.report(round))
        .catch((error: unknown) => this.report(undefined, error))
        .finally(() => {
          this.round = undefined;
        });
    };
    pull();
    this.timer = setInterval(pull, config.syncIntervalSeconds * 1000);
    this.timer.unref();
  }

  /** Waits for the round in flight, so that the store is not closed under it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
    await this.endpoint?.close();
  }

  private report(round: PeerSyncRound | undefined, error?: unknown): PeerSyncRound | undefined {
    const { log } = this.deps;
    if (round === undefined) {
      // Once per outage: the other gateway may be down for hours.
      if (!this.failing)
        log.warn({ err: error, peer: this.config.url }, 'cannot reach the other gateway for its records');
      this.failing = true;
      return undefined;
    }
    if (this.failing) log.info({ peer: this.config.url }, 'the other gateway answers again: merging its records');
    this.failing = false;
    if (round.collisions.length > 0)
      log.warn(
        { transactionIds: round.collisions },
        'the other gateway holds other transactions under these ids (a store restored from an older copy gave them out again): left apart',
      );
    if (round.stored > 0 || round.stopped > 0 || round.pruned > 0)
      log.info(round, 'transactions merged from the other gateway');
    return round;
  }
}
