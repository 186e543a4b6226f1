import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicySchema } from '../../../../shared/policy/policy-schema';
import { desiredPolicyState } from '../../../../shared/sync/sync-messages';
import { createEdgeSync, type EdgeSync } from '../../../../edge/sync/edge-sync';
import { parseSyncConfig } from '../../../../edge/sync/sync-config';
import { openSyncStorage } from '../../../../edge/sync/sync-storage';
import { sessionBody, tempDir } from '../../../unit/edge/sync/sync-builders';
import { RecordingPolicySink } from './support/recording-policy-sink';
import { StreamSubscriber } from './support/stream-subscriber';
import { quietLog, wallClock, when } from './support/sync-harness';
import { TestBroker } from './support/test-broker';
import { TestShadowService } from './support/test-shadow-service';

describe('createEdgeSync against the local broker', () => {
  let tmp: ReturnType<typeof tempDir>;
  let broker: TestBroker;
  let sync: EdgeSync;
  let sink: RecordingPolicySink;

  beforeEach(async () => {
    tmp = tempDir();
    broker = await TestBroker.start();
    sink = new RecordingPolicySink();
    const config = parseSyncConfig({
      broker: { kind: 'local', url: broker.url, username: 'gw-site-1', password: 'secret' },
      thingName: 'gw-site-1',
      siteId: 'site-1',
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    });
    sync = createEdgeSync({
      config,
      storage: openSyncStorage(config, tmp.dir, wallClock),
      sink,
      executor: { execute: () => Promise.resolve({ status: 'done' }) },
      chargers: () => [],
      clock: wallClock,
      log: quietLog,
      readFile: readFileSync,
    });
  });
  afterEach(async () => {
    await sync.stop();
    await broker.close();
    tmp.remove();
  });

  it('should connect, send the outbox, take the shadow policy and show its state', async () => {
    const shadow = new TestShadowService(broker.aedes);
    shadow.update('gw-site-1', 'policy', {
      state: {
        desired: desiredPolicyState(
          3,
          PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: 80 } }),
        ),
      },
    });
    const subscriber = await StreamSubscriber.connect(broker.url, 'gw-site-1');
    sync.outbox.enqueue('sessions', sessionBody(1));
    sync.start();
    await subscriber.waitFor(() => subscriber.firstSeen.sessions.length === 1);
    await when(
      (l) => shadow.onUpdate(l),
      () => shadow.document('gw-site-1', 'policy')?.reported.version === 3,
      10_000,
      'version 3 reported',
    );
    const status = sync.status();
    expect(status.link.status).toBe('connected');
    expect(status.policy.inForce).toEqual({ version: 3, source: 'cloud' });
    expect(sink.current?.meta).toEqual({ version: 3, source: 'cloud' });
    await subscriber.close();
  });
});
