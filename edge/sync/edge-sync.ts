/**
 * Everything the agent needs to sync with AWS IoT Core (or the local broker), built from the parsed `sync` config, its
 * storage and the agent's ports. Built only by the composition root (edge/main.ts); `start()` returns at once and
 * nothing in here ever makes the control loop wait.
 */
import type { Policy } from '../../shared/policy/policy-schema';
import type { Clock } from '../platform/clock';
import { MqttLink, type LinkState } from './mqtt-link';
import { mqttConnectSettings, type ReadFile } from './mqtt-options';
import type { OutboxProducer, OutboxStats } from './outbox';
import { SyncMeta } from './outbox-database';
import { OutboxPublisher } from './outbox-publisher';
import { PolicyShadowSync } from './policy-shadow-sync';
import { PolicySyncStore, type PolicySyncStatus } from './policy-sync-state';
import { SiteCommandHandler, type CommandSiteChargers } from './site-command-handler';
import type { SyncConfig } from './sync-config';
import type { SyncStorage } from './sync-storage';
import type { CommandExecutor, PolicyApplyResult, PolicySink, SyncLog } from './sync-ports';

export interface EdgeSyncDeps {
  readonly config: SyncConfig;
  /** The sync state and the outbox; closed by `stop()`. */
  readonly storage: SyncStorage;
  readonly sink: PolicySink;
  readonly executor: CommandExecutor;
  /** The site in force's chargers now, to authorise commands. */
  readonly chargers: () => readonly CommandSiteChargers[];
  readonly clock: Clock;
  readonly log: SyncLog;
  readonly readFile: ReadFile;
  /**
   * On a cluster node: the link is opened and closed by the node's leadership (`openLink`, `closeLink`), not by
   * `start`, since the site's one gateway registration is one MQTT client id (docs/cluster.md, "The cloud link").
   */
  readonly linkFollowsLeadership?: boolean;
}

/** What the dashboard shows about the cloud link. */
export interface SyncStatus {
  readonly link: LinkState;
  /** A cluster node's link is held only while the node leads: a stopped link on a standby is as meant. */
  readonly followsLeadership: boolean;
  readonly outbox: OutboxStats;
  readonly policy: Readonly<PolicySyncStatus>;
}

export interface EdgeSync {
  /** The control loop's producer: synchronous, never waits on the network. */
  readonly outbox: OutboxProducer;
  /** A policy edited on the site's dashboard: in force at once, reported as `local`. */
  applyLocalPolicy(policy: Policy): PolicyApplyResult;
  status(): SyncStatus;
  /** Starts the publisher, the shadow and the commands, and opens the link unless it follows leadership. */
  start(): void;
  /** Opens the link (returns at once); nothing if it is open. */
  openLink(): void;
  /**
   * Closes the link once the queued events are sent (a fenced node's own fence among them), within `CLOSING_SEND_MS`,
   * never reconnecting meanwhile; what is left stays in the outbox for the next time it opens.
   */
  closeLink(): Promise<void>;
  stop(): Promise<void>;
}

/** How long a closing link may still send the node's events: well under a takeover (the lease's TTL and a rebuild). */
export const CLOSING_SEND_MS = 2_000;

export function createEdgeSync(deps: EdgeSyncDeps): EdgeSync {
  const { config, clock, log } = deps;
  const connect = mqttConnectSettings(config, deps.readFile);
  const { db, outbox } = deps.storage;
  const link = new MqttLink({ url: connect.url, options: connect.options, reconnect: config.reconnect, clock, log });
  const publisher = new OutboxPublisher(
    outbox,
    link,
    {
      thingName: config.thingName,
      batchMessages: config.outbox.batchMessages,
      inflightBatches: config.outbox.inflightBatches,
      retryDelayMs: config.reconnect.initialDelayMs,
    },
    clock,
    log,
  );
  const policy = new PolicyShadowSync({
    transport: link,
    sink: deps.sink,
    store: new PolicySyncStore(new SyncMeta(db)),
    thingName: config.thingName,
    clock,
    log,
    events: outbox,
  });
  const commands = new SiteCommandHandler({
    transport: link,
    executor: deps.executor,
    db,
    thingName: config.thingName,
    siteId: config.siteId,
    chargers: deps.chargers,
    clock,
    log,
  });
  return {
    outbox,
    applyLocalPolicy: (p) => policy.applyLocal(p),
    status: () => ({
      link: link.state(),
      followsLeadership: deps.linkFollowsLeadership === true,
      outbox: outbox.stats(),
      policy: policy.status,
    }),
    start() {
      publisher.start();
      policy.start();
      commands.start();
      if (deps.linkFollowsLeadership !== true) link.start();
    },
    openLink: () => link.start(),
    closeLink: () => link.closeAfter(() => outbox.stats().byStream.events === 0, CLOSING_SEND_MS),
    async stop() {
      publisher.stop();
      policy.stop();
      await commands.stop();
      await link.stop();
      deps.storage.close();
    },
  };
}
