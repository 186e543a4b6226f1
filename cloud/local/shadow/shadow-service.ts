/**
 * The device shadow service played on the local broker: answers `$aws/things/<thing>/shadow/name/<name>/{update,get,delete}`
 * requests from gateways on the AWS response topics, and serves the same updates to in-process callers (the local
 * policy publisher, as UpdateThingShadow does on AWS). State lives in memory for the life of the process.
 */
import type { Aedes, AedesPublishPacket, Client } from 'aedes';
import { shadowTopicPrefix } from '../../../shared/sync/sync-topics';
import {
  applyShadowUpdate,
  parseShadowPayload,
  shadowDelete,
  shadowGet,
  type ShadowDocument,
  type ShadowSlot,
  type ShadowUpdateOutcome,
} from './shadow-rules';

export interface ShadowServiceDeps {
  readonly aedes: Aedes;
  /** Epoch ms; shadow timestamps are its seconds. */
  readonly clock: () => number;
  readonly logger: { warn(details: object, message: string): void; error(details: object, message: string): void };
}

export interface ShadowService {
  /**
   * Applies an update as UpdateThingShadow does on AWS: accepted, delta and documents go out on the broker (resolves
   * once they are out); a rejection is only returned, as AWS answers a data-plane call with its HTTP error.
   */
  update(thingName: string, shadowName: string, request: unknown): Promise<ShadowUpdateOutcome>;
  /** The current document, if the shadow exists. */
  document(thingName: string, shadowName: string): ShadowDocument | undefined;
  /** Stops answering requests (the broker keeps running). */
  detach(): void;
}

const REQUEST = /^\$aws\/things\/([^/]+)\/shadow\/name\/([^/]+)\/(update|get|delete)$/;

export function attachShadowService(deps: ShadowServiceDeps): ShadowService {
  const { aedes } = deps;
  const slots = new Map<string, ShadowSlot>();
  const key = (thingName: string, shadowName: string) => `${thingName}/${shadowName}`;
  const seconds = () => Math.floor(deps.clock() / 1000);
  // One queue for every answer, so that accepted, delta and documents go out in the order the updates happened.
  let outbox: Promise<void> = Promise.resolve();

  const publish = (topic: string, body: object): Promise<void> => {
    const payload = Buffer.from(JSON.stringify(body));
    outbox = outbox.then(
      () =>
        new Promise<void>((resolve) =>
          aedes.publish({ cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false }, (error) => {
            if (error) deps.logger.error({ err: error, topic }, 'shadow answer not published');
            resolve();
          }),
        ),
    );
    return outbox;
  };

  function update(
    thingName: string,
    shadowName: string,
    request: unknown,
    overMqtt = false,
  ): Promise<ShadowUpdateOutcome> {
    const topic = shadowTopicPrefix(thingName, shadowName);
    const outcome = applyShadowUpdate(slots.get(key(thingName, shadowName)), request, seconds());
    if (!outcome.ok)
      return overMqtt
        ? publish(`${topic}/update/rejected`, outcome.rejected).then(() => outcome)
        : Promise.resolve(outcome);
    slots.set(key(thingName, shadowName), { document: outcome.document });
    void publish(`${topic}/update/accepted`, outcome.accepted);
    if (outcome.delta) void publish(`${topic}/update/delta`, outcome.delta);
    return publish(`${topic}/update/documents`, outcome.documents).then(() => outcome);
  }

  function onRequest(thingName: string, shadowName: string, action: string, payload: Buffer): void {
    const topic = shadowTopicPrefix(thingName, shadowName);
    const parsed = parseShadowPayload(payload, seconds());
    if (!parsed.ok) {
      void publish(`${topic}/${action}/rejected`, parsed.rejected);
      return;
    }
    if (action === 'update') {
      void update(thingName, shadowName, parsed.request, true);
      return;
    }
    const slot = slots.get(key(thingName, shadowName));
    if (action === 'get') {
      const outcome = shadowGet(slot, shadowName, parsed.request, seconds());
      void publish(
        `${topic}/get/${outcome.ok ? 'accepted' : 'rejected'}`,
        outcome.ok ? outcome.accepted : outcome.rejected,
      );
      return;
    }
    const outcome = shadowDelete(slot, shadowName, parsed.request, seconds());
    if (outcome.ok) slots.set(key(thingName, shadowName), outcome.slot);
    void publish(
      `${topic}/delete/${outcome.ok ? 'accepted' : 'rejected'}`,
      outcome.ok ? outcome.accepted : outcome.rejected,
    );
  }

  const listener = (packet: AedesPublishPacket, client: Client | null) => {
    // The service's own answers have no client; only gateways' requests are handled.
    if (client === null) return;
    const match = REQUEST.exec(packet.topic);
    if (!match) return;
    const [, thingName = '', shadowName = '', action = ''] = match;
    try {
      onRequest(
        thingName,
        shadowName,
        action,
        typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload,
      );
    } catch (error) {
      deps.logger.error({ err: error, topic: packet.topic }, 'shadow request failed');
    }
  };
  aedes.on('publish', listener);

  return {
    update: (thingName, shadowName, request) => update(thingName, shadowName, request),
    document: (thingName, shadowName) => {
      const slot = slots.get(key(thingName, shadowName));
      return slot && 'document' in slot ? slot.document : undefined;
    },
    detach: () => void aedes.off('publish', listener),
  };
}
