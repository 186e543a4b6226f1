/**
 * How a charger delivers its transaction messages (StartTransaction, StopTransaction, a transaction's MeterValues), as
 * OCPP 1.6 asks of a real one (section 4.10 "Transaction-related messages", keys `TransactionMessageAttempts` and
 * `TransactionMessageRetryInterval`): in order, one after the other; one the central system does not answer (a call
 * timeout, a connection that dropped) or answers with a CALLERROR is sent again, the same message, after the retry
 * interval times the attempts so far, until the attempts are used up. While the charger has no connection the message
 * waits for the next one (a charger queues them offline); the wait is not an attempt.
 */
import { RPCClient } from 'ocpp-rpc';
import type { SimClock } from './sim-clock';

export interface TransactionMessageRetries {
  /** `TransactionMessageAttempts`: how often one message is sent at most. */
  attempts(): number;
  /** `TransactionMessageRetryInterval` in ms: the wait before the second attempt (twice that before the third...). */
  retryIntervalMs(): number;
}

export class TransactionMessages {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly closed = new AbortController();

  constructor(
    private readonly client: RPCClient,
    private readonly clock: SimClock,
    private readonly retries: TransactionMessageRetries,
  ) {}

  /** Resolves with the answer; rejects with the last failure once every attempt failed, or when closed. */
  send(method: string, params: object): Promise<unknown> {
    const delivered = this.tail.then(() => this.deliver(method, params));
    this.tail = delivered.catch(() => undefined);
    return delivered;
  }

  /** Gives up on every message not delivered yet. */
  close(): void {
    this.closed.abort();
  }

  private async deliver(method: string, params: object): Promise<unknown> {
    for (let attempt = 1; ; attempt += 1) {
      await this.connected();
      try {
        return await this.client.call(method, params);
      } catch (error) {
        if (attempt >= this.retries.attempts() || this.closed.signal.aborted) throw error;
        await this.wait(this.retries.retryIntervalMs() * attempt);
      }
    }
  }

  private connected(): Promise<void> {
    if (this.client.state === RPCClient.OPEN) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const opened = () => {
        this.closed.signal.removeEventListener('abort', gaveUp);
        resolve();
      };
      const gaveUp = () => {
        this.client.off('open', opened);
        reject(new Error('the charger closed'));
      };
      if (this.closed.signal.aborted) return gaveUp();
      this.client.once('open', opened);
      this.closed.signal.addEventListener('abort', gaveUp, { once: true });
    });
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const gaveUp = () => {
        cancel();
        reject(new Error('the charger closed'));
      };
      const cancel = this.clock.after(ms, () => {
        this.closed.signal.removeEventListener('abort', gaveUp);
        resolve();
      });
      if (this.closed.signal.aborted) return gaveUp();
      this.closed.signal.addEventListener('abort', gaveUp, { once: true });
    });
  }
}
