/**
 * One charger in front of its CSMS: the charger's calls go up, the CSMS's calls come down, each side gets the other's
 * answers unchanged (docs/csms.md). Transaction messages go through the durable forward log first; when the CSMS does
 * not answer in time, the agent answers as its stand-in (offline rules) and the log delivers the message later.
 */
import ocppRpc from 'ocpp-rpc';
import type { Logger } from 'pino';
import type { ChargerRelay, RelayedAnswer } from '../ocpp/central-system-ports';
import type { IdTagInfo, RegistrationStatus } from '../ocpp/ocpp-values';
import type { Clock } from '../platform/clock';
import { isStorageFault } from '../store/storage-faults';
import { IdTagInfoSchema, type SqliteUpstreamAuthorizationStore } from '../store/upstream-authorization-store';
import type { SqliteUpstreamDeliveredMessages } from '../store/upstream-delivered-store';
import type { SqliteUpstreamForwardLog } from '../store/upstream-forward-log';
import type { UpstreamGroupCommit } from '../store/upstream-group-commit';
import type { SqliteUpstreamResyncStore } from '../store/upstream-resync-store';
import type { CompositeAnswers } from './composite-answers';
import { answerCsmsCall, type ChargerCaller } from './csms-calls';
import { ForwardDrain } from './forward-drain';
import { authorizeOffline, type OfflineAuthorizationRules } from './offline-authorization';
import { offlineAnswer } from './offline-answers';
import { isPayload, type Payload } from './ocpp-payload';
import type { AgentConfiguration } from './protected-configuration';
import type { UpstreamConfig } from './upstream-config';
import type { UpstreamLimits } from './upstream-limits-port';
import type { UpstreamLink } from './upstream-link';

const { RPCError } = ocppRpc;

export interface ChargerRelayDeps {
  readonly chargerId: string;
  /** How the charger's boot is answered offline (until it is back under another, `returned`). */
  readonly registration: RegistrationStatus;
  readonly heartbeatIntervalSeconds: number;
  /** What the agent configures on the charger at boot, which the CSMS may not undo. */
  readonly configuration: AgentConfiguration;
  readonly settings: Pick<UpstreamConfig, 'answerTimeoutMs' | 'callTimeoutMs' | 'reconnect'> &
    OfflineAuthorizationRules;
  readonly log: SqliteUpstreamForwardLog;
  /** The log's writes go through it; a charger is answered only once the commit holding its message is done. */
  readonly commits: UpstreamGroupCommit;
  readonly resync: SqliteUpstreamResyncStore;
  /** The messages the CSMS acknowledged lately: a charger's repeat of one is answered, not sent again. */
  readonly delivered: SqliteUpstreamDeliveredMessages;
  readonly authorization: SqliteUpstreamAuthorizationStore;
  readonly limits: UpstreamLimits;
  /** Answers the CSMS's GetCompositeSchedule with what is in force; without it the charger answers. */
  readonly composite: CompositeAnswers | undefined;
  readonly charger: ChargerCaller;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  /** The log of a charger that left is delivered. */
  onDeliveredAfterLeaving(): void;
  /** The disk refused a write of the forward log or the resync state for this charger. */
  onUnwritten(): void;
}

export class UpstreamChargerRelay implements ChargerRelay {
  readonly drain: ForwardDrain;
  private registration: RegistrationStatus;

  constructor(
    private readonly deps: ChargerRelayDeps,
    private readonly link: Pick<UpstreamLink, 'isOpen' | 'isOpenOrOpening' | 'whenOpen' | 'call'>,
  ) {
    this.drain = new ForwardDrain({
      chargerId: deps.chargerId,
      csms: link,
      log: deps.log,
      commits: deps.commits,
      resync: deps.resync,
      delivered: deps.delivered,
      clock: deps.clock,
      random: deps.random,
      logger: deps.logger,
      callTimeoutMs: deps.settings.callTimeoutMs,
      retry: deps.settings.reconnect,
      onIdTagInfo: (idTag, info) => deps.authorization.cache(idTag, info, deps.clock.now()),
      onDeliveredAfterLeaving: () => deps.onDeliveredAfterLeaving(),
      onUnwritten: () => deps.onUnwritten(),
    });
    this.registration = deps.registration;
  }

  /** The charger left; its queued messages are still delivered (`ForwardDrain.chargerLeft`). */
  left(): void {
    this.drain.chargerLeft();
  }

  /** The charger is back, answered offline as `registration` says now (it may have joined or left the site). */
  returned(registration: RegistrationStatus): void {
    this.registration = registration;
    this.drain.chargerBack();
  }

  /** The link to the CSMS opened: deliver what waits. */
  onOpen(): void {
    this.drain.kick();
  }

  /**
   * The CSMS lost the charger while it stayed with us: on its return it is told the charger's boot and the latest
   * status of each connector again before the queued messages, as a charger reconnecting to it would.
   */
  onLost(): void {
    this.deps.resync.markNeeded(this.deps.chargerId);
  }

  /**
   * A call from the charger. What the agent must keep of it (a transaction message, the boot and status for a resync)
   * is on disk before it is answered: a write the disk refuses is a CALLERROR to the charger (not an answer that would
   * tell it the message is safe, even when the CSMS answered), reported as such.
   */
  async forward(method: string, params: Payload): Promise<RelayedAnswer> {
    try {
      return await this.route(method, params);
    } catch (error) {
      if (isStorageFault(error)) this.deps.onUnwritten();
      throw error;
    }
  }

  private async route(method: string, params: Payload): Promise<RelayedAnswer> {
    switch (method) {
      case 'StartTransaction':
        return this.start(params);
      case 'StopTransaction':
      case 'MeterValues':
        return this.queued(method, params);
      default:
        return { answer: await this.passThrough(method, params), repeat: false };
    }
  }

  /** A call from the CSMS to the charger (csms-calls.ts). */
  fromCsms(method: string, params: unknown): Promise<Payload> {
    return answerCsmsCall(this.deps, method, params);
  }

  /** Not queued: the CSMS's answer when it gives one in time, else ours (a CALLERROR from the CSMS is passed on). */
  private async passThrough(method: string, params: Payload): Promise<Payload> {
    const { chargerId, resync } = this.deps;
    if (method === 'StatusNotification' && typeof params.connectorId === 'number' && resync.needed(chargerId)) {
      // The CSMS is still to be told the charger's boot and statuses again: sent now, this status could reach it
      // before them, and the stale one resent after it. Kept as its connector's latest instead, the resync tells it in
      // its place; the CSMS's answer to a StatusNotification is empty, so the agent's is the same.
      resync.saveStatus(chargerId, { ...params, connectorId: params.connectorId }, true);
      this.drain.kick();
      return offlineAnswer(method, params, this.offlineContext());
    }
    if (method === 'BootNotification' && resync.needed(chargerId)) return this.bootDuringResync(params);
    const answer = await this.askCsms(method, params);
    const missed = answer === undefined;
    if (method === 'BootNotification') resync.saveBoot(chargerId, params, missed);
    if (method === 'StatusNotification' && typeof params.connectorId === 'number') {
      resync.saveStatus(chargerId, { ...params, connectorId: params.connectorId }, missed);
    }
    if (answer === undefined) return offlineAnswer(method, params, this.offlineContext());
    if (method === 'Authorize' && typeof params.idTag === 'string') this.cacheIdTagInfo(params.idTag, answer.idTagInfo);
    return answer;
  }

  /**
   * A boot while the CSMS is still to be told the charger's previous one (and its statuses): passed through, it could
   * reach the CSMS before the stale boot the resync sends, or the resync could send the stale one after it. It
   * replaces the stale one in the resync instead, which tells it to the CSMS next; the charger gets the CSMS's answer
   * when it comes in time, else ours (and the CSMS is still told it, before any status).
   */
  private async bootDuringResync(params: Payload): Promise<Payload> {
    const { chargerId, resync, settings } = this.deps;
    resync.saveBoot(chargerId, params, true);
    if (!this.link.isOpenOrOpening) return offlineAnswer('BootNotification', params, this.offlineContext());
    const answer = this.drain.answerToBoot(params, settings.answerTimeoutMs);
    this.drain.kick();
    return (await answer) ?? offlineAnswer('BootNotification', params, this.offlineContext());
  }

  /** A StartTransaction: logged with a provisional id first, answered with the CSMS's answer or the provisional id. */
  private async start(params: Payload): Promise<RelayedAnswer> {
    const { log, chargerId, commits, delivered } = this.deps;
    const idTag = String(params.idTag);
    // A start whose stop the CSMS acknowledged has no mapping any more: its repeat is known by the record of it kept
    // then (checked in the commit that would log it, so a stop's delivery waiting in the same commit counts).
    const queued = await commits.run(
      () => delivered.startedId(chargerId, params) ?? log.appendStart(chargerId, params, this.deps.clock.now()),
    );
    if (typeof queued === 'number')
      return { answer: { transactionId: queued, idTagInfo: this.authorize(idTag) }, repeat: true };
    this.drain.kick();
    // A start still in the log, sent again: answered as before, and the control loop knows it already.
    if (queued.chargerKnows === 'provisional')
      return { answer: this.provisional(queued.provisionalId, idTag), repeat: true };
    if (queued.chargerKnows === 'real' && queued.realId !== undefined) {
      return { answer: { transactionId: queued.realId, idTagInfo: this.authorize(idTag) }, repeat: true };
    }
    const answer = await this.waitForCsms(queued.seq);
    if (answer === undefined) {
      await commits.run(() => log.answered(queued.provisionalId, 'provisional'));
      return { answer: this.provisional(queued.provisionalId, idTag), repeat: false };
    }
    await commits.run(() => log.answered(queued.provisionalId, 'real'));
    return { answer, repeat: false };
  }

  /** A StopTransaction or MeterValues: logged first, then the CSMS's answer, or ours (always an acknowledgement). */
  private async queued(method: 'StopTransaction' | 'MeterValues', params: Payload): Promise<RelayedAnswer> {
    const { log, chargerId, commits, delivered } = this.deps;
    // Checked in the commit that would log it, so a delivery whose removal waits in the same commit counts.
    const seq = await commits.run(
      () => delivered.answer(chargerId, method, params) ?? log.append(chargerId, method, params, this.deps.clock.now()),
    );
    // A repeat of a message the CSMS acknowledged (the charger did not note our answer): answered as the CSMS did.
    if (typeof seq !== 'number') return { answer: seq, repeat: true };
    this.drain.kick();
    return {
      answer: (await this.waitForCsms(seq)) ?? offlineAnswer(method, params, this.offlineContext()),
      repeat: false,
    };
  }

  private waitForCsms(seq: number): Promise<Payload | undefined> {
    // Between reconnect attempts nobody will answer: the charger is answered at once.
    if (!this.link.isOpenOrOpening) return Promise.resolve(undefined);
    return this.drain.answerTo(seq, this.deps.settings.answerTimeoutMs);
  }

  private async askCsms(method: string, params: Payload): Promise<Payload | undefined> {
    const { answerTimeoutMs } = this.deps.settings;
    const deadline = this.deps.clock.now() + answerTimeoutMs;
    if (!this.link.isOpenOrOpening || !(await this.link.whenOpen(answerTimeoutMs))) return undefined;
    const timeLeft = Math.max(1, deadline - this.deps.clock.now());
    let cancel: (() => void) | undefined;
    const late = new Promise<undefined>(
      (resolve) => (cancel = this.deps.clock.after(timeLeft, () => resolve(undefined))),
    );
    try {
      const answer = await Promise.race([this.link.call(method, params, timeLeft), late]);
      return isPayload(answer) ? answer : undefined;
    } catch (error) {
      if (error instanceof RPCError) throw error;
      return undefined;
    } finally {
      cancel?.();
    }
  }

  private provisional(provisionalId: number, idTag: string): Payload {
    return { transactionId: provisionalId, idTagInfo: this.authorize(idTag) };
  }

  private authorize(idTag: string): IdTagInfo {
    const { authorization, settings, chargerId, clock } = this.deps;
    return authorizeOffline(authorization, settings, chargerId, idTag, clock.now());
  }

  private offlineContext() {
    return {
      registration: this.registration,
      heartbeatIntervalSeconds: this.deps.heartbeatIntervalSeconds,
      now: this.deps.clock.now(),
      authorize: (idTag: string) => this.authorize(idTag),
    };
  }

  private cacheIdTagInfo(idTag: string, info: unknown): void {
    const parsed = IdTagInfoSchema.safeParse(info);
    if (parsed.success) this.deps.authorization.cache(idTag, parsed.data, this.deps.clock.now());
  }
}
