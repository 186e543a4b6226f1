/**
 * A cluster node's outbox to the cloud as the agent wires it (edge/cluster/start-cluster.ts): its leadership on a real
 * etcd, its master role whose rebuild takes the ledger's outbox copies, the recorder that copies its outbox while it
 * leads, and the outbox on SQLite sent over MQTT by the agent's publisher. The link can be started again on another
 * broker address (the gateway's network coming back).
 */
import { randomUUID } from 'node:crypto';
import { type OutboxTakeover, takeOutboxFromLedger } from '../../../../edge/cluster/ledger-outbox';
import { MasterRole } from '../../../../edge/cluster/master-role';
import { OutboxRecorder } from '../../../../edge/cluster/outbox-recorder';
import { MqttLink } from '../../../../edge/sync/mqtt-link';
import { Outbox } from '../../../../edge/sync/outbox';
import { openOutboxDatabase, type OutboxDatabase } from '../../../../edge/sync/outbox-database';
import { OutboxPublisher } from '../../../../edge/sync/outbox-publisher';
import type { GatewayCredentials } from '../../cloud/local/local-cloud-kit';
import { quietLog, wallClock } from '../../edge/sync/support/sync-harness';
import { type NodeSettings, RecordedNode } from './recorded-node';

/** A site's election and ledger under `ampshare/<site>/` (as the agent names them), on `endpoints`. */
export function outboxSiteSettings(endpoints: readonly string[]): NodeSettings & { readonly site: string } {
  const site = randomUUID();
  return {
    site,
    endpoints,
    electionName: `ampshare/${site}/leader`,
    ledgerPrefix: `ampshare/${site}/ledger/`,
    ttlSeconds: 3,
    fenceMarginMs: 300,
  };
}

export class OutboxNode {
  readonly node: RecordedNode;
  readonly outbox: Outbox;
  readonly recorder: OutboxRecorder;
  readonly role: MasterRole;
  readonly takeovers: OutboxTakeover[] = [];
  private readonly db: OutboxDatabase;
  private link: MqttLink | undefined;
  private publisher: OutboxPublisher | undefined;

  constructor(nodeId: string, settings: NodeSettings, siteId: string, dataDir: string) {
    this.db = openOutboxDatabase(dataDir);
    this.outbox = new Outbox(this.db, { siteId, maxBytes: 64 * 1024 ** 2, now: wallClock.now });
    this.node = new RecordedNode(nodeId, settings, {
      elected: (term) => this.role.elected(term),
      fenced: (event) => this.role.fenced(event),
    });
    this.recorder = new OutboxRecorder(this.node.ledger, quietLog);
    this.recorder.attach(this.outbox);
    this.role = new MasterRole(
      this.node.leadership,
      {
        prepare: async () => {
          this.takeovers.push(await takeOutboxFromLedger(this.node.ledger, this.outbox, this.recorder, quietLog));
        },
        dropChargers: () => undefined,
      },
      quietLog,
      wallClock.now,
      [this.recorder],
    );
  }

  /** Connects the outbox to the broker at `url` as gateway `gateway` (stopping the link before, if any). */
  async connect(url: string, gateway: GatewayCredentials): Promise<void> {
    await this.disconnect();
    this.link = new MqttLink({
      url,
      options: {
        clientId: gateway.thingName,
        protocolVersion: 4,
        clean: false,
        keepalive: 30,
        username: gateway.username,
        password: gateway.password,
      },
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      clock: wallClock,
      log: quietLog,
    });
    this.publisher = new OutboxPublisher(
      this.outbox,
      this.link,
      { thingName: gateway.thingName, batchMessages: 25, inflightBatches: 3, retryDelayMs: 50 },
      wallClock,
      quietLog,
    );
    this.publisher.start();
    this.link.start();
  }

  async disconnect(): Promise<void> {
    this.publisher?.stop();
    await this.link?.stop();
    this.link = undefined;
    this.publisher = undefined;
  }

  async close(): Promise<void> {
    await this.disconnect();
    await this.node.close();
    this.db.close();
  }
}
