/**
 * Everything the agent needs to sync with AWS IoT Core (or the local broker), built from the parsed `sync` config and
 * the agent's ports. Built only by the composition root (edge/main.ts); `start()` returns at once and nothing in here
 * ever makes the control loop wait.
 */
import type { Policy } from '../../shared/policy/policy-schema';
import type { ControlClock } from '../control/control-ports';
import { MqttLink, type LinkState } from './mqtt-link';
import { mqttConnectSettings, type ReadFile } from './mqtt-options';
import { Outbox, type OutboxProducer, type OutboxStats } from './outbox';
import { SyncMeta, openOutboxDatabase } from './outbox-database';
import { OutboxPublisher } from './outbox-publisher';
import { PolicyShadowSync } from './policy-shadow-sync';
import { PolicySyncStore, type PolicySyncStatus } from './policy-sync-state';
import { SiteCommandHandler, type CommandSiteChargers } from './site-command-handler';
import type { SyncConfig } from './sync-config';
import type { CommandExecutor, PolicyApplyResult, PolicySink, SyncLog } from './sync-ports';

export interface EdgeSyncDeps {
  readonly config: SyncConfig;
  /** The agent's data directory; the sync state lives in `<dataDir>/outbox.sqlite`. */
  readonly dataDir: string;
  readonly sink: PolicySink;
  readonly executor: CommandExecutor;
  /** The site's chargers, to authorise commands. */
  readonly chargers: readonly CommandSiteChargers[];
  readonly clock: ControlClock;
  readonly log: SyncLog;
  readonly readFile: ReadFile;
}

/** What the dashboard shows about the cloud link. */
export interface SyncStatus {
  readonly link: LinkState;
  readonly outbox: OutboxStats;
  readonly policy: Readonly<PolicySyncStatus>;
}

export interface EdgeSync {
  /** The control loop's producer: synchronous, never waits on the network. */
  readonly outbox: OutboxProducer;
  /** A policy edited on the site's dashboard: in force at once, reported as `local`. */
  applyLocalPolicy(policy: Policy): PolicyApplyResult;
  status(): SyncStatus;
  start(): void;
  stop(): Promise<void>;
}

export function createEdgeSync(deps: EdgeSyncDeps): EdgeSync {
  const { config, clock, log } = deps;
  const connect = mqttConnectSettings(config, deps.readFile);
  const db = openOutboxDatabase(deps.dataDir);
  try {
    const outbox = new Outbox(db, { siteId: config.siteId, maxBytes: config.outbox.maxBytes, now: () => clock.now() });
    const link = new MqttLink({ url: connect.url, options: connect.options, reconnect: config.reconnect, clock, log });
    const publisher = new OutboxPublisher(
      outbox,
      link,
      { thingName: config.thingName, batchMessages: config.outbox.batchMessages, inflightBatches: config.outbox.inflightBatches, retryDelayMs: config.reconnect.initialDelayMs },
      clock,
      log,
    );
    const policy = new PolicyShadowSync({ transport: link, sink: deps.sink, store: new PolicySyncStore(new SyncMeta(db)), thingName: config.thingName, clock, log, events: outbox });
    const commands = new SiteCommandHandler({ transport: link, executor: deps.executor, db, thingName: config.thingName, siteId: config.siteId, chargers: deps.chargers, clock, log });
    return {
      outbox,
      applyLocalPolicy: (p) => policy.applyLocal(p),
      status: () => ({ link: link.state(), outbox: outbox.stats(), policy: policy.status }),
      start() {
        publisher.start();
        policy.start();
        commands.start();
        link.start();
      },
      async stop() {
        publisher.stop();
        policy.stop();
        await commands.stop();
        await link.stop();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
