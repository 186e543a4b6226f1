/**
 * Plays the AWS IoT rules on the local broker: a gateway's stream topics (`ampshare/gateways/<thing>/<stream>`, the
 * ingest rule's FROM and WHERE) go to ingestBatch (the ingest Lambda's code), the policy shadow's `/update/documents`
 * to recordShadowReport (the shadow-sync Lambda's code), and the broker's lifecycle events (`$aws/events/presence/...`,
 * the presence rule) to recordPresence (the ingest Lambda's code). A failure is logged and reported to listeners; the
 * bridge keeps running.
 */
import type { Aedes, AedesPublishPacket, Client } from 'aedes';
import { parseGatewayStreamTopic, POLICY_SHADOW, PRESENCE_EVENTS } from '../../shared/sync/sync-topics';
import { ingestBatch } from '../ingest/ingest-batch';
import type { IngestDeps } from '../ingest/ingest-deps';
import type { IngestResult } from '../ingest/ingest-result';
import { recordPresence, type PresenceDeps, type PresenceResult } from '../ingest/record-presence';
import { recordShadowReport, type ShadowReportResult } from '../ingest/record-shadow-report';

export type BridgeOutcome =
  | { readonly kind: 'ingest'; readonly topic: string; readonly thingName: string; readonly result: IngestResult }
  | { readonly kind: 'shadow'; readonly topic: string; readonly thingName: string; readonly result: ShadowReportResult }
  | { readonly kind: 'presence'; readonly topic: string; readonly thingName: string; readonly result: PresenceResult }
  | { readonly kind: 'failed'; readonly topic: string; readonly thingName?: string; readonly error: unknown };

export interface IotRulesBridgeDeps {
  readonly aedes: Aedes;
  readonly ingest: IngestDeps & PresenceDeps;
  readonly logger: {
    info(details: object, message: string): void;
    warn(details: object, message: string): void;
    error(details: object, message: string): void;
  };
}

export interface IotRulesBridge {
  /** Calls `listener` after each handled message; returns the unsubscribe function. */
  onOutcome(listener: (outcome: BridgeOutcome) => void): () => void;
  /** Resolves once every message received so far has been handled. */
  idle(): Promise<void>;
  /** Stops taking messages, then waits for the ones in flight. */
  stop(): Promise<void>;
}

const SHADOW_DOCUMENTS_RULE = new RegExp(`^\\$aws/things/([^/]+)/shadow/name/${POLICY_SHADOW}/update/documents$`);
const PRESENCE_RULE = new RegExp(`^\\$aws/events/presence/(?:${PRESENCE_EVENTS.join('|')})/([^/]+)$`);

export function attachIotRulesBridge(deps: IotRulesBridgeDeps): IotRulesBridge {
  const listeners = new Set<(outcome: BridgeOutcome) => void>();
  const inFlight = new Set<Promise<void>>();

  const emit = (outcome: BridgeOutcome) => {
    for (const listener of listeners) listener(outcome);
  };

  const track = (work: Promise<BridgeOutcome>, topic: string, thingName: string | undefined) => {
    const done = work
      .catch(
        (error: unknown): BridgeOutcome => ({
          kind: 'failed',
          topic,
          ...(thingName !== undefined ? { thingName } : {}),
          error,
        }),
      )
      .then((outcome) => {
        log(outcome);
        emit(outcome);
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  const log = (outcome: BridgeOutcome) => {
    if (outcome.kind === 'failed')
      deps.logger.error(
        { err: outcome.error, topic: outcome.topic, thingName: outcome.thingName },
        'rule action failed',
      );
    else if (outcome.kind === 'ingest' && outcome.result.rejected.length > 0)
      deps.logger.warn(
        { topic: outcome.topic, thingName: outcome.thingName, result: outcome.result },
        'batch rejected in part or whole',
      );
    else if ((outcome.kind === 'shadow' || outcome.kind === 'presence') && outcome.result.status === 'rejected')
      deps.logger.warn(
        { topic: outcome.topic, thingName: outcome.thingName, result: outcome.result },
        `${outcome.kind} message rejected`,
      );
    else deps.logger.info({ topic: outcome.topic, thingName: outcome.thingName }, `${outcome.kind} handled`);
  };

  const listener = (packet: AedesPublishPacket, client: Client | null) => {
    const { topic } = packet;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    if (client !== null && parseGatewayStreamTopic(topic) !== undefined) {
      const thingName = client.id;
      track(
        ingestBatch(deps.ingest, { thingName, topic, payload }).then((result) => ({
          kind: 'ingest',
          topic,
          thingName,
          result,
        })),
        topic,
        thingName,
      );
      return;
    }
    const presence = client === null ? PRESENCE_RULE.exec(topic) : null;
    if (presence?.[1] !== undefined) {
      const thingName = presence[1];
      track(
        Promise.resolve()
          .then(() => recordPresence(deps.ingest, JSON.parse(payload.toString('utf8'))))
          .then((result) => ({ kind: 'presence', topic, thingName, result })),
        topic,
        thingName,
      );
      return;
    }
    const shadow = client === null ? SHADOW_DOCUMENTS_RULE.exec(topic) : null;
    if (shadow?.[1] !== undefined) {
      const thingName = shadow[1];
      track(
        Promise.resolve()
          .then(() => recordShadowReport(deps.ingest, { thingName, document: JSON.parse(payload.toString('utf8')) }))
          .then((result) => ({ kind: 'shadow', topic, thingName, result })),
        topic,
        thingName,
      );
    }
  };
  deps.aedes.on('publish', listener);

  const idle = async () => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  };

  return {
    onOutcome: (fn) => {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
    idle,
    stop: async () => {
      deps.aedes.off('publish', listener);
      await idle();
    },
  };
}
