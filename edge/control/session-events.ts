/**
 * Transactions as the control loop keeps them: a start becomes a session on its connector (adopting a connector the
 * site does not list, or refused), stored and reported, with what the car may draw until its first lease; a stop ends
 * it, stored even when no session was open here; sessions stored open are taken up again at start.
 */
import type { MessageRef } from '../../shared/server-messages';
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { Charger } from '../../shared/site/site-schema';
import type { Clock } from '../platform/clock';
import { notBefore } from './charger-time';
import type { ConnectorAdoption } from './connector-adoption';
import type { ChargerInput } from './control-inputs';
import type { ControlObserver, SessionStore } from './control-ports';
import type { EnforcedLimits } from './enforced-limits';
import type { LeaseDispatcher, UnknownLease } from './lease-dispatcher';
import type { SiteRuntime } from './site-runtime';

type Started = Extract<ChargerInput, { type: 'transactionStarted' }>;
type Stopped = Extract<ChargerInput, { type: 'transactionStopped' }>;

export interface SessionEventsDeps {
  readonly runtime: SiteRuntime;
  readonly clock: Clock;
  readonly sessions: SessionStore;
  readonly observer: ControlObserver;
  readonly dispatcher: LeaseDispatcher;
  readonly enforced: EnforcedLimits;
  readonly adoption: ConnectorAdoption;
  readonly chargers: () => ReadonlyMap<string, Charger>;
  /** Asks the loop for a round. */
  readonly request: () => void;
}

export class SessionEvents {
  constructor(private readonly deps: SessionEventsDeps) {}

  /** A transaction may start where the site can control it: on a listed connector, or one adopted now. */
  refusal(start: {
    chargerId: string;
    connectorId: number;
    transactionId: number;
    at: number;
  }): MessageRef | undefined {
    return this.deps.adoption.ensure(start.chargerId, start.connectorId, 'transaction', start.at, start.transactionId);
  }

  /** Takes up the sessions stored open; until a lease is accepted each car counts at what its charger holds unleased. */
  restore(): void {
    const { runtime, adoption, enforced } = this.deps;
    const now = this.deps.clock.now();
    for (const session of this.deps.sessions.openSessions()) {
      // A session stored on a connector the site does not list (any more) is adopted again, or reported as refused.
      const resumed =
        runtime.startSession(session) ||
        (adoption.ensure(session.chargerId, session.connectorId, 'storedSession', now, session.transactionId) ===
          undefined &&
          runtime.startSession(session));
      if (resumed)
        runtime
          .sessionAt(session.chargerId, session.connectorId)
          ?.history.addLimit(now, enforced.unleased(session.chargerId));
    }
  }

  started(event: Started): void {
    if (event.status !== 'Accepted') return;
    const { runtime, dispatcher, enforced } = this.deps;
    const record = {
      transactionId: event.transactionId,
      chargerId: event.chargerId,
      connectorId: event.connectorId,
      idTag: event.idTag,
      startedAt: event.startedAt.at,
      meterStartWh: event.meterStartWh,
      energyWh: 0,
    };
    const started = runtime.startSession(record) || (this.refusal(event) === undefined && runtime.startSession(record));
    if (!started) return;
    // Until a lease is accepted the car gets nothing under the idle hold, else the fail-safe (or the charger's maximum).
    if (event.adopted) dispatcher.assumeUnknownLease(this.unknownLease(event));
    else
      runtime
        .sessionAt(event.chargerId, event.connectorId)
        ?.history.addLimit(event.at, enforced.atPlugIn(event.chargerId, event.at));
    this.deps.sessions.startSession(record, { receivedAt: event.startedAt.receivedAt, source: event.startedAt.source });
    this.deps.observer.onControlEvent({
      type: 'sessionStarted',
      at: event.at,
      ref: formatConnectorRef(event.chargerId, event.connectorId),
      transactionId: event.transactionId,
      idTag: event.idTag,
      startedAt: record.startedAt,
    });
    this.deps.request();
  }

  stopped(event: Stopped): void {
    const ended = this.deps.runtime.stopSession(event.transactionId, event.meterStopWh);
    // A stop the charger dates before its own start (its clock jumped back) is stored at the time of receipt.
    const stoppedAt = ended === undefined ? event.stoppedAt : notBefore(event.stoppedAt, ended.startedAt);
    this.deps.sessions.stopSession(
      {
        transactionId: event.transactionId,
        stoppedAt: stoppedAt.at,
        meterStopWh: event.meterStopWh,
        reason: event.reason,
      },
      { receivedAt: stoppedAt.receivedAt, source: stoppedAt.source },
    );
    if (ended === undefined) return;
    this.deps.dispatcher.forget(ended.chargerId, ended.connectorId);
    this.deps.observer.onControlEvent({
      type: 'sessionEnded',
      at: event.at,
      ref: ended.ref,
      transactionId: ended.transactionId,
      startedAt: ended.startedAt,
      stoppedAt: stoppedAt.at,
      idTag: ended.idTag,
      energyWh: ended.energyWh,
    });
    this.deps.request();
  }

  /**
   * What an adopted transaction's charger may hold: the old master's last lease, unknown here, is taken as the charger's
   * maximum until a lease sent now would have run out (the old master sent none after it stopped leading).
   */
  private unknownLease(event: Started): UnknownLease {
    const charger = this.deps.chargers().get(event.chargerId);
    return {
      ref: formatConnectorRef(event.chargerId, event.connectorId),
      chargerId: event.chargerId,
      connectorId: event.connectorId,
      transactionId: event.transactionId,
      amps: charger?.maxAmps ?? 0,
      phases: charger?.phases ?? 3,
      at: event.at,
      unleasedAmps: this.deps.enforced.unleased(event.chargerId),
    };
  }
}
