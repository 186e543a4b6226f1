import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MqttLink } from '../../../../edge/sync/mqtt-link';
import { Outbox } from '../../../../edge/sync/outbox';
import { openOutboxDatabase, type OutboxDatabase } from '../../../../edge/sync/outbox-database';
import { OutboxPublisher } from '../../../../edge/sync/outbox-publisher';
import { eventBody, sessionBody, telemetryBody, tempDir } from '../../../unit/edge/sync/sync-builders';
import { StreamSubscriber } from './support/stream-subscriber';
import { linkState, quietLog, wallClock, when } from './support/sync-harness';
import { TestBroker } from './support/test-broker';

const SITE = 'site-1';

/** The agent's sync parts as one process would hold them; `stop()` is a process exit. */
function startAgent(dir: string, url: string) {
  const db: OutboxDatabase = openOutboxDatabase(dir);
  const outbox = new Outbox(db, { siteId: SITE, maxBytes: 64 * 1024 ** 2, now: wallClock.now });
  const link = new MqttLink({
    url,
    options: { clientId: 'gw-site-1', protocolVersion: 4, clean: false, keepalive: 30, username: 'gw', password: 'pw' },
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    clock: wallClock,
    log: quietLog,
  });
  const publisher = new OutboxPublisher(
    outbox,
    link,
    { thingName: 'gw-site-1', batchMessages: 25, inflightBatches: 3, retryDelayMs: 50 },
    wallClock,
    quietLog,
  );
  publisher.start();
  link.start();
  return {
    outbox,
    link,
    async stop() {
      publisher.stop();
      await link.stop();
      db.close();
    },
  };
}

type Agent = ReturnType<typeof startAgent>;

const drained = (agent: Agent) =>
  when(
    (l) => agent.outbox.onAcknowledge(l),
    () => agent.outbox.stats().messages === 0,
    15_000,
    'outbox drained',
  );

describe('outbox over MQTT (aedes)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let broker: TestBroker;
  let subscriber: StreamSubscriber;
  const agents: Agent[] = [];

  /** The broker comes back, and the cloud's subscriber with it, before the gateway (as the rules engine would be). */
  const restartBroker = async () => {
    broker.hold('gw-site-1');
    await broker.listen();
    await subscriber.reconnected();
    broker.admit('gw-site-1');
  };

  beforeEach(async () => {
    tmp = tempDir();
    broker = await TestBroker.start();
    subscriber = await StreamSubscriber.connect(broker.url, 'gw-site-1');
  });
  afterEach(async () => {
    for (const agent of agents.splice(0)) await agent.stop();
    await subscriber.close();
    await broker.close();
    tmp.remove();
  });

  it('should write messages to disk before sending and keep them while the broker is away', async () => {
    await broker.stop();
    const agent = startAgent(tmp.dir, broker.url);
    agents.push(agent);
    const result = agent.outbox.enqueue('sessions', sessionBody(1));
    expect(result.ok).toBe(true);
    expect(agent.outbox.stats().messages).toBe(1);
    expect(agent.link.state().status).not.toBe('connected');
    await restartBroker();
    await subscriber.waitFor(() => subscriber.seen.size === 1);
    await drained(agent);
  });

  it('should delete nothing before the broker acknowledged it', async () => {
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => {
      broker.aedes.authorizePublish = (client, _packet, callback) => {
        if (client?.id !== 'gw-site-1') return callback(null);
        // Hold the first batch: aedes sends the PUBACK only after this callback.
        if (release === undefined) {
          release = () => callback(null);
          resolve();
          return;
        }
        callback(null);
      };
    });
    const agent = startAgent(tmp.dir, broker.url);
    agents.push(agent);
    await linkState(agent.link, true);
    for (let n = 0; n < 5; n++) agent.outbox.enqueue('sessions', sessionBody(n));
    await held;
    expect(agent.outbox.stats().messages).toBe(5);
    release!();
    await drained(agent);
    await subscriber.waitFor(() => subscriber.seen.size === 5);
  });

  it('should deliver every message exactly once and in order per stream across an outage and a restart', async () => {
    const sent: Record<'telemetry' | 'sessions' | 'events', string[]> = { telemetry: [], sessions: [], events: [] };
    const enqueue = (agent: Agent, count: number) => {
      for (let n = 0; n < count; n++) {
        const results = [
          ['telemetry', agent.outbox.enqueue('telemetry', telemetryBody(n % 4))],
          ...(n % 3 === 0 ? [['sessions', agent.outbox.enqueue('sessions', sessionBody(n, 'updated'))] as const] : []),
          ...(n % 5 === 0 ? [['events', agent.outbox.enqueue('events', eventBody('warning'))] as const] : []),
        ] as const;
        for (const [stream, r] of results) if (r.ok) sent[stream].push(r.messageId);
      }
    };
    const accepted = new Set<string>();
    broker.aedes.on('publish', (packet, client) => {
      if (client?.id !== 'gw-site-1') return;
      for (const m of (JSON.parse(packet.payload.toString()) as { messages: { messageId: string }[] }).messages)
        accepted.add(m.messageId);
    });
    let agent = startAgent(tmp.dir, broker.url);
    agents.push(agent);
    await linkState(agent.link, true);
    enqueue(agent, 300);
    // Cut the broker while batches are on the wire (sent, not acknowledged).
    await subscriber.waitFor(() => subscriber.seen.size > 0);
    broker.freeze('gw-site-1');
    // The broker's 'publish' event and the subscriber's delivery race inside this process: re-check on both.
    const onEither = (listener: () => void) => {
      subscriber.on('batch', listener);
      broker.aedes.on('publish', () => setImmediate(listener));
    };
    await when(onEither, () => subscriber.seen.size === accepted.size, 10_000, 'subscriber saw every accepted message');
    await broker.stop();
    await linkState(agent.link, false);
    enqueue(agent, 200);
    // Process restart: the same file, a new outbox, link and publisher.
    await agent.stop();
    agents.splice(0);
    agent = startAgent(tmp.dir, broker.url);
    agents.push(agent);
    enqueue(agent, 200);
    await restartBroker();
    const total = sent.telemetry.length + sent.sessions.length + sent.events.length;

    await subscriber.waitFor(() => subscriber.seen.size === total, 30_000);
    await drained(agent);
    expect(subscriber.firstSeen).toEqual(sent);
    expect(accepted.size).toBeLessThan(total);
    for (const ids of Object.values(sent)) expect([...ids].sort()).toEqual(ids);
  });

  it('should take 10,000 messages with the broker down without awaiting anything', async () => {
    await broker.stop();
    const agent = startAgent(tmp.dir, broker.url);
    agents.push(agent);
    let stored = 0;
    for (let n = 0; n < 10_000; n++) if (agent.outbox.enqueue('telemetry', telemetryBody(n % 4)).ok) stored++;
    // No await above: all 10,000 are on disk in the same synchronous turn.
    expect(stored).toBe(10_000);
    expect(agent.outbox.stats().messages).toBe(10_000);
    await restartBroker();
    await drained(agent);
    await subscriber.waitFor(() => subscriber.seen.size === 10_000, 30_000);
    expect(subscriber.firstSeen.telemetry).toEqual([...subscriber.firstSeen.telemetry].sort());
  });
});
