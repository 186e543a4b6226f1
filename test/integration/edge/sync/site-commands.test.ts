import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SiteCommandResultSchema,
  type SiteCommand,
  type SiteCommandResult,
} from '../../../../shared/sync/site-commands';
import { MAX_MESSAGE_BYTES } from '../../../../shared/sync/sync-messages';
import { gatewayCommandResultTopic, gatewayCommandTopic } from '../../../../shared/sync/sync-topics';
import { MqttLink } from '../../../../edge/sync/mqtt-link';
import { openOutboxDatabase, type OutboxDatabase } from '../../../../edge/sync/outbox-database';
import { SiteCommandHandler } from '../../../../edge/sync/site-command-handler';
import type { CommandExecutor } from '../../../../edge/sync/sync-ports';
import { tempDir } from '../../../unit/edge/sync/sync-builders';
import { linkState, quietLog, wallClock, when } from './support/sync-harness';
import { TestBroker } from './support/test-broker';

const SITE = 'site-1';
const THING = 'gw-site-1';
const chargers = [{ id: 'CP-1', connectors: [{ id: 1 }, { id: 2 }] }];

class RecordingExecutor implements CommandExecutor {
  readonly executed: SiteCommand[] = [];
  execute(command: SiteCommand) {
    this.executed.push(command);
    return Promise.resolve(
      command.command.type === 'reset'
        ? { status: 'rejected' as const, reason: 'chargerRejected' as const }
        : { status: 'done' as const },
    );
  }
}

describe('site commands (aedes)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let broker: TestBroker;
  let db: OutboxDatabase;
  let link: MqttLink;
  let handler: SiteCommandHandler;
  let executor: RecordingExecutor;
  let cloud: MqttClient;
  const results: SiteCommandResult[] = [];
  const listeners: (() => void)[] = [];
  let n = 0;

  const command = (body: SiteCommand['command'], extra: Partial<SiteCommand> = {}): SiteCommand => ({
    v: 1,
    commandId: `cmd-0000-${++n}`,
    siteId: SITE,
    issuedAt: Date.now(),
    command: body,
    ...extra,
  });
  const send = (payload: unknown) =>
    cloud.publishAsync(gatewayCommandTopic(THING), JSON.stringify(payload), { qos: 1 });
  const resultFor = async (commandId: string) => {
    await when(
      (l) => listeners.push(l),
      () => results.some((r) => r.commandId === commandId),
      10_000,
      `result for ${commandId}`,
    );
    return results.find((r) => r.commandId === commandId)!;
  };

  beforeEach(async () => {
    tmp = tempDir();
    results.length = 0;
    broker = await TestBroker.start();
    cloud = await mqtt.connectAsync(broker.url, { clientId: 'cloud', protocolVersion: 4 });
    await cloud.subscribeAsync(gatewayCommandResultTopic(THING), { qos: 1 });
    cloud.on('message', (_topic, payload) => {
      results.push(SiteCommandResultSchema.parse(JSON.parse(payload.toString())));
      for (const l of listeners) l();
    });
    db = openOutboxDatabase(tmp.dir);
    link = new MqttLink({
      url: broker.url,
      options: { clientId: THING, protocolVersion: 4, clean: false },
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
      clock: wallClock,
      log: quietLog,
    });
    executor = new RecordingExecutor();
    handler = new SiteCommandHandler({
      transport: link,
      executor,
      db,
      thingName: THING,
      siteId: SITE,
      chargers: () => chargers,
      clock: wallClock,
      log: quietLog,
    });
    handler.start();
    const subscribed = new Promise<void>((resolve) =>
      broker.aedes.on(
        'subscribe',
        (subs, client) => client.id === THING && subs.some((s) => s.topic === gatewayCommandTopic(THING)) && resolve(),
      ),
    );
    link.start();
    await linkState(link, true);
    await subscribed;
  });
  afterEach(async () => {
    await handler.stop();
    await link.stop();
    await cloud.endAsync(true);
    await broker.close();
    db.close();
    tmp.remove();
  });

  it('should stay connected and answer later commands when one arrives while the disk takes no writes', async () => {
    // Arrange: the outbox database takes no writes (a full disk)
    db.pragma('query_only = ON');
    const lost = command({ type: 'requestReport' });
    const later = command({ type: 'remoteStart', chargerId: 'CP-1', connectorId: 1, idTag: 'TAG-1' });

    // Act: the command reaches the gateway (a listener after the handler's sees it too), then the disk takes writes
    let delivered = false;
    const seen = when(
      (l) => link.onMessage(() => ((delivered = true), l())),
      () => delivered,
      5_000,
      'the command delivered past the handler',
    );
    await send(lost);
    await seen;
    db.pragma('query_only = OFF');
    await send(later);

    // Assert
    expect(await resultFor(later.commandId)).toMatchObject({ status: 'done' });
    expect(link.connected).toBe(true);
  });

  it('should drop a command over 128 KiB unread (the cloud publishes it past the broker) and answer the next one', async () => {
    // Arrange: a valid command, padded past AWS IoT Core's message size
    const oversized = command({ type: 'requestReport' });
    const later = command({ type: 'requestReport' });
    const payload = Buffer.from(JSON.stringify(oversized) + ' '.repeat(MAX_MESSAGE_BYTES));

    // Act: in process, as the IoT data plane publishes, so no client connection limits its size
    await new Promise<void>((resolve, reject) =>
      broker.aedes.publish(
        { cmd: 'publish', topic: gatewayCommandTopic(THING), payload, qos: 1, retain: false, dup: false },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
    await send(later);

    // Assert
    expect(await resultFor(later.commandId)).toMatchObject({ status: 'done' });
    expect(executor.executed.map((c) => c.commandId)).toEqual([later.commandId]);
  });

  it('should run an authorised command and answer with its outcome', async () => {
    const start = command({ type: 'remoteStart', chargerId: 'CP-1', connectorId: 2, idTag: 'TAG-1' });
    const reset = command({ type: 'reset', chargerId: 'CP-1', resetType: 'Hard' });
    await send(start);
    await send(reset);
    expect(await resultFor(start.commandId)).toMatchObject({ v: 1, siteId: SITE, status: 'done' });
    expect(await resultFor(reset.commandId)).toMatchObject({ status: 'rejected', reason: 'chargerRejected' });
    expect(executor.executed.map((c) => c.command.type)).toEqual(['remoteStart', 'reset']);
  });

  it.each([
    ['an unknown charger', { command: { type: 'unlock', chargerId: 'CP-9', connectorId: 1 } }, 'unknownCharger'],
    [
      'an unknown connector',
      { command: { type: 'remoteStop', chargerId: 'CP-1', connectorId: 3 } },
      'unknownConnector',
    ],
    ['another site', { siteId: 'site-2', command: { type: 'requestReport' } }, 'wrongSite'],
    ['an expired command', { expiresAt: 1, command: { type: 'requestReport' } }, 'expired'],
    ['an invalid command', { command: { type: 'selfDestruct' } }, 'invalid'],
  ])('should reject %s with its reason and run nothing', async (_what, patch, reason) => {
    const bad = { ...command({ type: 'requestReport' }), ...patch };
    await send(bad);
    expect(await resultFor(bad.commandId)).toMatchObject({ status: 'rejected', reason });
    expect(executor.executed).toHaveLength(0);
  });

  it('should run and answer a duplicated command id once', async () => {
    const once = command({ type: 'requestReport' });
    await send(once);
    await send(once);
    const after = command({ type: 'unlock', chargerId: 'CP-1', connectorId: 1 });
    await send(after);
    await resultFor(after.commandId);
    expect(results.filter((r) => r.commandId === once.commandId)).toHaveLength(1);
    expect(executor.executed.map((c) => c.commandId)).toEqual([once.commandId, after.commandId]);
  });

  it('should not run a command id again after a restart', async () => {
    const once = command({ type: 'requestReport' });
    await send(once);
    await resultFor(once.commandId);
    await handler.stop();
    handler = new SiteCommandHandler({
      transport: link,
      executor,
      db,
      thingName: THING,
      siteId: SITE,
      chargers: () => chargers,
      clock: wallClock,
      log: quietLog,
    });
    handler.start();
    await send(once);
    const after = command({ type: 'requestReport' });
    await send(after);
    await resultFor(after.commandId);
    expect(executor.executed.map((c) => c.commandId)).toEqual([once.commandId, after.commandId]);
  });
});
