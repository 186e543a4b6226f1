/**
 * Delivers one charger's forward log to its CSMS, one message at a time and in order: after a gap, first what the CSMS
 * missed of the charger's state (its boot, then the latest status per connector), then the queued transaction
 * messages. A message leaves the log only once the CSMS answered it; a StartTransaction's answer gives the real id
 * that every later message is rewritten to, so no StopTransaction or MeterValues goes out before its start is
 * answered. A message the CSMS does not answer is sent again, unchanged, after the call timeout; one it refuses (a
 * CALLERROR, or an answer that fails the schema) is retried with back-off, and a refused StopTransaction or MeterValues is set aside after a few tries so
 * that it does not hold up the rest (a StartTransaction never is: the rest needs its id). A write the disk refuses
 * after the CSMS answered (a full disk) is made again with back-off until it lands, and only then does the drain go
 * on: the CSMS must not get a message again, nor the charger's boot over and over, because the agent could not note
 * its answer.
 */
import ocppRpc from 'ocpp-rpc';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock';
import { isStorageFault } from '../store/storage-faults';
import { IdTagInfoSchema, type StoredIdTagInfo } from '../store/upstream-authorization-store';
import type { SqliteUpstreamDeliveredMessages } from '../store/upstream-delivered-store';
import type { SqliteUpstreamForwardLog } from '../store/upstream-forward-log';
import type { QueuedMessage } from '../store/upstream-log-records';
import type { UpstreamGroupCommit } from '../store/upstream-group-commit';
import type { SqliteUpstreamResyncStore } from '../store/upstream-resync-store';
import { isPayload } from './ocpp-payload';
import { reconnectDelayMs, type ReconnectDelays } from './reconnect-delay';

const { TimeoutError } = ocppRpc;

/** CALLERRORs in a row after which a refused StopTransaction or MeterValues is set aside. */
export const MAX_REFUSALS = 5;

const StartAnswerSchema = z.object({ transactionId: z.number().int(), idTagInfo: IdTagInfoSchema });
const StopAnswerSchema = z.object({ idTagInfo: IdTagInfoSchema.optional() });

/** The part of the upstream link the drain uses. */
export interface CsmsCaller {
  readonly isOpen: boolean;
  call(method: string, params: unknown, timeoutMs: number): Promise<unknown>;
}

export interface ForwardDrainDeps {
  readonly chargerId: string;
  readonly csms: CsmsCaller;
  readonly log: SqliteUpstreamForwardLog;
  /** The log's writes go through it: a delivered message leaves the log in the next group commit. */
  readonly commits: UpstreamGroupCommit;
  readonly resync: SqliteUpstreamResyncStore;
  /**
   * Where a delivered MeterValues or StopTransaction is remembered, with the CSMS's answer, as it leaves the log; and a
   * StartTransaction, with the id the charger knows, as its stop's delivery drops its mapping.
   */
  readonly delivered: SqliteUpstreamDeliveredMessages;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  readonly callTimeoutMs: number;
  readonly retry: ReconnectDelays;
  /** The CSMS said this about a tag (its answer to a start or a stop): the offline cache keeps it. */
  onIdTagInfo(idTag: string, info: StoredIdTagInfo): void;
  /** The log of a charger that left is delivered (its link, open for the delivery only, may close). */
  onDeliveredAfterLeaving(): void;
  /** The disk refused a write the CSMS's answer calls for (the drain waits for it). */
  onUnwritten(): void;
}

export class ForwardDrain {
  private running = false;
  private stopped = false;
  /** Whether the charger is connected: the CSMS is told its boot and statuses again only then. */
  private chargerPresent = true;
  /** The charger's calls waiting for the CSMS's answer: queued messages by sequence number, boots by `bootKey`. */
  private readonly waiters = new Map<number | string, (answer: Record<string, unknown> | undefined) => void>();
  /** What this resync has told the CSMS on the open link (forgotten when the link is lost or the resync is done). */
  private told = untold();

  constructor(private readonly deps: ForwardDrainDeps) {}

  /** Starts delivering, unless a delivery is running (it picks up what was added) or the CSMS is out of reach. */
  kick(): void {
    if (this.running || this.stopped || !this.deps.csms.isOpen) return;
    this.running = true;
    void this.run()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'forward log delivery failed'))
      .finally(() => {
        this.running = false;
      });
  }

  /** The CSMS's answer to message `seq`, if it comes within `timeoutMs`. */
  answerTo(seq: number, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
    return this.wait(seq, timeoutMs);
  }

  /** The CSMS's answer to the boot the resync tells it (`boot`, kept for the resync), if it comes within `timeoutMs`. */
  answerToBoot(boot: object, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
    return this.wait(bootKey(JSON.stringify(boot)), timeoutMs);
  }

  private wait(key: number | string, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
    return new Promise((resolve) => {
      const cancel = this.deps.clock.after(timeoutMs, () => {
        this.waiters.delete(key);
        resolve(undefined);
      });
      this.waiters.set(key, (answer) => {
        cancel();
        this.waiters.delete(key);
        resolve(answer);
      });
    });
  }

  stop(): void {
    this.stopped = true;
  }

  /**
   * The charger left with messages still queued: they are delivered all the same, but what the CSMS missed of its state
   * (boot, statuses) waits for its return: told now, it would have the CSMS believe it is there.
   */
  chargerLeft(): void {
    this.chargerPresent = false;
    this.kick();
  }

  /** The charger is back: the resync, if due, goes first again. */
  chargerBack(): void {
    this.chargerPresent = true;
    this.kick();
  }

  private async run(): Promise<void> {
    const { deps } = this;
    let refusals = 0;
    this.told = untold();
    while (!this.stopped && deps.csms.isOpen) {
      const resync = this.chargerPresent && deps.resync.needed(deps.chargerId);
      const next = resync ? undefined : deps.log.next(deps.chargerId);
      if (!resync && next === undefined) {
        if (!this.chargerPresent) deps.onDeliveredAfterLeaving();
        return;
      }
      const payload = next && this.upward(next);
      if (next !== undefined && payload === undefined) {
        await this.setAsideUnmapped(next);
        continue;
      }
      try {
        if (next === undefined || payload === undefined) await this.resync();
        else await this.delivered(next, await deps.csms.call(next.action, payload, deps.callTimeoutMs));
        refusals = 0;
      } catch (error) {
        if (!deps.csms.isOpen || this.stopped) return;
        if (error instanceof TimeoutError) continue; // not answered in time: the same message again
        refusals++;
        deps.logger.warn(
          { err: (error as Error).message, action: next?.action ?? 'resync', refusals },
          'csms refused a message',
        );
        if (next !== undefined && next.action !== 'StartTransaction' && refusals >= MAX_REFUSALS) {
          const refused = next.seq;
          await this.written(() => deps.commits.run(() => deps.log.park(refused, 'refused')));
          refusals = 0;
          continue;
        }
        await new Promise<void>((resolve) =>
          deps.clock.after(reconnectDelayMs(refusals, deps.retry, deps.random), resolve),
        );
      }
    }
  }

  /**
   * What the CSMS missed of the charger's state: its boot, then the latest status of each connector, and then each
   * status (or boot) the charger sent meanwhile (the relay keeps those for the resync rather than letting them overtake
   * it), until the CSMS has the latest boot and, after it, the latest status of every connector. A boot the charger
   * sends during the resync replaces the stale one: it goes next (never the stale one after it), its answer goes to the
   * charger, and every status is told again after it. What the CSMS was told stays told while the link stays open, so
   * an unanswered status does not make it hear the boot again.
   */
  private async resync(): Promise<void> {
    const { deps, told } = this;
    for (;;) {
      const { boot, statuses } = deps.resync.state(deps.chargerId);
      const bootText = boot === undefined ? undefined : JSON.stringify(boot);
      if (bootText !== undefined && bootText !== told.boot) {
        const answer = await deps.csms.call('BootNotification', boot, deps.callTimeoutMs);
        told.boot = bootText;
        told.statuses.clear();
        this.waiters.get(bootKey(bootText))?.(isPayload(answer) ? answer : undefined);
        continue;
      }
      const fresh = statuses.filter((status) => told.statuses.get(status.connectorId) !== JSON.stringify(status));
      if (fresh.length === 0) break;
      for (const status of fresh) {
        await deps.csms.call('StatusNotification', status, deps.callTimeoutMs);
        told.statuses.set(status.connectorId, JSON.stringify(status));
      }
    }
    // Nothing runs between the last read above and this write: a status kept after it would find the resync due again.
    await this.written(() => deps.resync.done(deps.chargerId));
    this.told = untold();
  }

  /**
   * Makes a write the CSMS's answer calls for, again with back-off while the disk refuses it (full, read-only), until
   * it lands or the drain stops (then the message is still queued, and goes again as after a restart). Whatever else
   * waits, waits behind it: going on would send the CSMS again what it answered.
   */
  private async written(write: () => unknown): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        if (attempt > 1) this.deps.logger.info({ attempts: attempt }, 'forward log written again: delivery goes on');
        return;
      } catch (error) {
        if (!isStorageFault(error) || this.stopped) throw error;
        if (attempt === 1) {
          this.deps.logger.error({ err: error }, 'forward log cannot be written: delivery waits for the disk');
          this.deps.onUnwritten();
        }
        await new Promise<void>((resolve) =>
          this.deps.clock.after(reconnectDelayMs(attempt, this.deps.retry, this.deps.random), resolve),
        );
      }
    }
  }

  /**
   * The queued payload with a provisional transaction id replaced by the real one; undefined when it names a
   * provisional id the CSMS never gave a real one for (its start is always delivered first, so that is a transaction
   * whose stop the CSMS acknowledged already and whose mapping is gone: a charger sending a message again after it
   * was delivered).
   */
  private upward(message: QueuedMessage): Record<string, unknown> | undefined {
    const { chargerId, log } = this.deps;
    const id = message.payload.transactionId;
    if (message.action !== 'StartTransaction' && typeof id === 'number' && id < 0) {
      const realId = log.realIdOf(chargerId, id);
      return realId === undefined ? undefined : { ...message.payload, transactionId: realId };
    }
    return message.payload;
  }

  /** A provisional id must never reach the CSMS: the message is kept, marked, and the charger answered by us. */
  private async setAsideUnmapped(message: QueuedMessage): Promise<void> {
    this.deps.logger.warn(
      { action: message.action, transactionId: message.payload.transactionId },
      'a queued message names a transaction the CSMS has closed: set aside, not sent',
    );
    await this.written(() => this.deps.commits.run(() => this.deps.log.park(message.seq, 'unmapped')));
    this.waiters.get(message.seq)?.(undefined);
  }

  /**
   * The CSMS answered: the message leaves the log (with what its answer says) in the next group commit, and only once
   * that is on disk does the next message go out (it must not find this one still queued, nor come back after it on a
   * restart). The charger's MeterValues or StopTransaction gets the CSMS's answer at once: the message is on disk since
   * before it was sent, and an agent that stops before its removal is on disk sends it again (a repeat the CSMS knows by
   * its content). A StartTransaction's answer waits for the commit: the charger must not learn a real id the log does
   * not hold.
   */
  private async delivered(message: QueuedMessage, answer: unknown): Promise<void> {
    const { chargerId, log, commits } = this.deps;
    const idTag = typeof message.payload.idTag === 'string' ? message.payload.idTag : undefined;
    const effect: DeliveryEffect =
      message.action === 'StartTransaction'
        ? startEffect(answer)
        : message.action === 'StopTransaction'
          ? {
              stoppedId: Number(message.payload.transactionId),
              idTagInfo: StopAnswerSchema.safeParse(answer).data?.idTagInfo,
            }
          : {};
    const removed = this.written(() =>
      commits.run(() => {
        // The stop drops its start's mapping: the start is remembered in its place, with the id the charger knows.
        const starts = effect.stoppedId === undefined ? [] : log.startsStoppedBy(chargerId, effect.stoppedId);
        log.delivered(message.seq, { ...effect, chargerId });
        for (const start of starts) {
          this.deps.delivered.remember(chargerId, 'StartTransaction', start.payload, {
            transactionId: start.chargerKnowsId,
          });
        }
        if (message.action !== 'StartTransaction') {
          this.deps.delivered.remember(chargerId, message.action, message.payload, isPayload(answer) ? answer : {});
        }
        if (idTag !== undefined && effect.idTagInfo !== undefined) this.deps.onIdTagInfo(idTag, effect.idTagInfo);
      }),
    );
    const answerCharger = () => this.waiters.get(message.seq)?.(answer as Record<string, unknown>);
    if (message.action !== 'StartTransaction') answerCharger();
    await removed;
    answerCharger();
  }
}

/** A boot waits for its answer under its payload's text: the resync tells the CSMS the one kept last. */
const bootKey = (bootText: string) => `BootNotification ${bootText}`;

const untold = () => ({ boot: undefined as string | undefined, statuses: new Map<unknown, string>() });

interface DeliveryEffect {
  readonly realId?: number;
  readonly stoppedId?: number;
  readonly idTagInfo?: StoredIdTagInfo | undefined;
}

/** A StartTransaction's answer: the real id, and what the CSMS said of the tag (an answer without them throws). */
function startEffect(answer: unknown): DeliveryEffect {
  const start = StartAnswerSchema.parse(answer);
  return { realId: start.transactionId, idTagInfo: start.idTagInfo };
}
