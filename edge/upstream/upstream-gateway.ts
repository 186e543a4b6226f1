/**
 * The agent in front of the operator's CSMS: one upstream link and relay per connected charger, opened when the
 * charger connects and closed when it leaves. A charger that leaves with messages queued keeps its link for their
 * delivery only, and so does, from the agent's start, every charger with messages queued (one that has not connected
 * again, or was removed from the site): the link closes once its log is delivered. No link opens before `openLinks`:
 * a cluster node opens them only while it serves as master and closes them all at its fence (docs/cluster.md), so the
 * CSMS never sees one charger's identity from two nodes.
 */
import ocppRpc from 'ocpp-rpc';
import type { Logger } from 'pino';
import type { UpstreamCharger } from '../../shared/dashboard/upstream-answer';
import type { CsmsLinkHealth } from '../../shared/sync/sync-messages';
import type { ChargerRelay, ChargerUpstream } from '../ocpp/central-system-ports';
import type { ChargerConnections } from '../ocpp/charger-connections';
import type { RegistrationStatus } from '../ocpp/ocpp-values';
import type { Clock } from '../platform/clock';
import type { SqliteUpstreamAuthorizationStore } from '../store/upstream-authorization-store';
import type { SqliteUpstreamDeliveredMessages } from '../store/upstream-delivered-store';
import type { SqliteUpstreamForwardLog } from '../store/upstream-forward-log';
import type { UpstreamGroupCommit } from '../store/upstream-group-commit';
import type { SqliteUpstreamResyncStore } from '../store/upstream-resync-store';
import type { SetAsideMessage, SqliteUpstreamSetAside } from '../store/upstream-set-aside-store';
import { UpstreamChargerRelay } from './charger-relay';
import type { CompositeAnswers } from './composite-answers';
import type { AgentConfiguration } from './protected-configuration';
import { endpointOf, type UpstreamConfig } from './upstream-config';
import type { UpstreamLimits } from './upstream-limits-port';
import { UpstreamLink, type UpstreamTls } from './upstream-link';
import type { UpstreamLinkReport } from './upstream-link-report';
import { UpstreamLinkStates } from './upstream-link-states';
import { csmsLinkHealth, upstreamCharger } from './upstream-status';
import { CHARGER_CLOSE_MESSAGES } from '../../shared/charger-close-messages';

const { createRPCError } = ocppRpc;

export interface UpstreamGatewayDeps {
  readonly connections: ChargerConnections;
  readonly log: SqliteUpstreamForwardLog;
  /** The log's messages set aside, as the dashboard lists and purges them. */
  readonly setAside: SqliteUpstreamSetAside;
  readonly commits: UpstreamGroupCommit;
  readonly resync: SqliteUpstreamResyncStore;
  readonly delivered: SqliteUpstreamDeliveredMessages;
  readonly authorization: SqliteUpstreamAuthorizationStore;
  readonly limits: UpstreamLimits;
  /** Answers the CSMS's GetCompositeSchedule; without it the charger does. */
  readonly composite: CompositeAnswers | undefined;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  /** Hears of each charger's link lost or back and of log writes the disk refused (events); flushed at close. */
  readonly report: Pick<UpstreamLinkReport, 'onLinkChange' | 'onUnwritten' | 'flush'>;
}

export interface UpstreamGatewayOptions {
  readonly config: UpstreamConfig;
  /** The CA and client certificate files' contents (security profiles 2 and 3). */
  readonly tls: UpstreamTls | undefined;
  readonly heartbeatIntervalSeconds: number;
  readonly configuration: AgentConfiguration;
  readonly maxFrameBytes: number;
}

interface Attached {
  readonly relay: UpstreamChargerRelay;
  readonly link: UpstreamLink;
  /** False while the link is open for the delivery of a charger that is not connected. */
  present: boolean;
}

export class UpstreamGateway implements ChargerUpstream {
  private readonly attached = new Map<string, Attached>();
  private readonly states: UpstreamLinkStates;
  /** Until `openLinks`, and again after `closeLinks`: links are built for the chargers' relays but not connected. */
  private held = true;

  constructor(
    private readonly options: UpstreamGatewayOptions,
    private readonly deps: UpstreamGatewayDeps,
  ) {
    this.states = new UpstreamLinkStates(deps.clock, (change) => deps.report.onLinkChange(change));
  }

  /**
   * The strict OCPP 2.0.1 rule at the handshake: a charger is taken only once its link to the CSMS is open, so it does
   * not sit on a controller that cannot reach its CSMS. The link opened here is the one `attach` then hands the
   * charger's relay; one that does not open within the answer timeout is closed again (unless the charger is still
   * connected, by an older connection that keeps it).
   */
  async admit(chargerId: string, registration: RegistrationStatus): Promise<boolean> {
    const { config } = this.options;
    if (!config.closeChargerWhenCsmsLost) return true;
    this.attach(chargerId, registration);
    const link = this.attached.get(chargerId)?.link;
    if (link === undefined || (await link.whenOpen(config.answerTimeoutMs))) return true;
    if (this.attached.get(chargerId)?.link === link && this.deps.connections.get(chargerId) === undefined)
      this.detach(chargerId);
    return false;
  }

  attach(chargerId: string, registration: RegistrationStatus): ChargerRelay {
    const existing = this.attached.get(chargerId);
    if (existing === undefined) return this.open(chargerId, registration, true).relay;
    if (!existing.present) {
      existing.present = true;
      existing.relay.returned(registration);
      this.closeChargerIfUnreachable(chargerId, existing.link);
    }
    return existing.relay;
  }

  /**
   * Connects the links, and opens the link of every charger with messages queued that is not connected (at the agent's
   * start or a node's election: chargers that have not connected again yet, or that were removed from the site), for
   * their delivery only.
   */
  openLinks(): void {
    if (!this.held) return;
    this.held = false;
    // Built while held: a charger taken in the moment between a node's election and this call.
    for (const { link } of this.attached.values()) link.start();
    // A charger that is not there answers nobody: its registration is set when it connects (`attach`).
    for (const chargerId of this.deps.log.chargersWithBacklog()) {
      if (!this.attached.has(chargerId)) this.open(chargerId, 'Rejected', false);
    }
  }

  /**
   * Closes every link, delivery-only ones included, and connects none until `openLinks` again (a cluster node's fence:
   * the next master opens its own). What waits in the log stays there.
   */
  async closeLinks(): Promise<void> {
    this.held = true;
    const all = [...this.attached.entries()];
    this.attached.clear();
    for (const [chargerId, { relay }] of all) {
      relay.drain.stop();
      this.states.detached(chargerId);
    }
    await Promise.all(all.map(([, { link }]) => link.close()));
  }

  private open(chargerId: string, registration: RegistrationStatus, present: boolean): Attached {
    const { config } = this.options;
    const { deps } = this;
    const logger = deps.logger.child({ chargerId });
    const link: UpstreamLink = new UpstreamLink(
      {
        chargerId,
        endpoint: endpointOf(config, chargerId),
        tls: this.options.tls,
        reconnect: config.reconnect,
        maxFrameBytes: this.options.maxFrameBytes,
      },
      {
        clock: deps.clock,
        random: deps.random,
        log: logger,
        // Both run once the link is started, below, when the relay exists.
        onCall: (method, params): Promise<Record<string, unknown>> => relay.fromCsms(method, params),
        onOpen: () => {
          this.states.opened(chargerId);
          relay.onOpen();
          // The CSMS is back: the site's other links to it need not wait out their back-off.
          const url = endpointOf(config, chargerId).url;
          for (const [id, other] of this.attached) {
            if (endpointOf(config, id).url === url) other.link.retrySoon(config.reconnect.siteRetryWithinMs);
          }
        },
        onLost: () => {
          this.states.lost(chargerId);
          relay.onLost();
          // The OCPP 2.0.1 local-controller rule, when the site asks for it: the charger learns that its CSMS is gone.
          if (config.closeChargerWhenCsmsLost) this.closeCharger(chargerId, CHARGER_CLOSE_MESSAGES.csmsLost);
        },
      },
    );
    const relay: UpstreamChargerRelay = new UpstreamChargerRelay(
      {
        chargerId,
        registration,
        heartbeatIntervalSeconds: this.options.heartbeatIntervalSeconds,
        configuration: this.options.configuration,
        settings: config,
        log: deps.log,
        commits: deps.commits,
        resync: deps.resync,
        delivered: deps.delivered,
        authorization: deps.authorization,
        limits: deps.limits,
        composite: deps.composite,
        charger: {
          call: (method, params, timeoutMs) => {
            const client = deps.connections.get(chargerId)?.client;
            if (client === undefined) throw createRPCError('GenericError', 'charger not connected', {}) as Error;
            return client.call(method, params, { callTimeoutMs: timeoutMs });
          },
        },
        clock: deps.clock,
        random: deps.random,
        logger,
        onDeliveredAfterLeaving: () => {
          if (this.attached.get(chargerId)?.relay === relay) this.detach(chargerId);
        },
        onUnwritten: () => deps.report.onUnwritten(chargerId),
      },
      link,
    );
    const attached: Attached = { relay, link, present };
    this.attached.set(chargerId, attached);
    this.states.attached(chargerId);
    if (!this.held) link.start();
    if (present) this.closeChargerIfUnreachable(chargerId, link);
    else relay.left();
    return attached;
  }

  /**
   * The strict rule: a charger taken while its link is not open (admitted just before the link was lost) is closed
   * again as soon as the link's next attempt fails (or within the answer timeout), rather than served offline.
   */
  private closeChargerIfUnreachable(chargerId: string, link: UpstreamLink): void {
    if (!this.options.config.closeChargerWhenCsmsLost) return;
    void link.whenOpen(this.options.config.answerTimeoutMs).then((open) => {
      if (!open && this.attached.get(chargerId)?.link === link)
        this.closeCharger(chargerId, CHARGER_CLOSE_MESSAGES.csmsUnreachable);
    });
  }

  private closeCharger(chargerId: string, reason: string): void {
    void this.deps.connections
      .get(chargerId)
      ?.client.close({ code: 1001, reason })
      .catch(() => undefined);
  }

  /**
   * The charger left: its link closes, unless messages of the charger wait in the log; then it stays open (or goes on
   * reconnecting) for their delivery only, and closes once they are delivered.
   */
  detach(chargerId: string): void {
    const attached = this.attached.get(chargerId);
    if (attached === undefined) return;
    if (attached.present && this.deps.log.backlog(chargerId).messages > 0) {
      attached.present = false;
      attached.relay.left();
      return;
    }
    this.attached.delete(chargerId);
    this.states.detached(chargerId);
    attached.relay.drain.stop();
    void attached.link.close();
  }

  /** Whether a charger's link to the CSMS is open now. */
  isOpen(chargerId: string): boolean {
    return this.attached.get(chargerId)?.link.isOpen ?? false;
  }

  /** A charger's upstream state as the dashboard shows it. */
  status(chargerId: string): UpstreamCharger {
    return upstreamCharger(this.sources(), chargerId);
  }

  /** The messages set aside (refused, unmapped), oldest first. */
  setAside(limit: number): SetAsideMessage[] {
    return this.deps.setAside.setAside(limit);
  }

  /** Deletes a message set aside (the dashboard's audited purge); undefined when there is none under `seq`. */
  purgeSetAside(seq: number): SetAsideMessage | undefined {
    return this.deps.setAside.purgeSetAsideMessage(seq);
  }

  /** The site's CSMS link health, for the cloud's telemetry. */
  health(chargerIds: readonly string[]): CsmsLinkHealth {
    return csmsLinkHealth(this.sources(), chargerIds);
  }

  /** How many of a charger's messages wait for the CSMS, and since when. */
  backlog(chargerId: string): { readonly messages: number; readonly oldestAt: number | undefined } {
    return this.deps.log.backlog(chargerId);
  }

  async close(): Promise<void> {
    await this.closeLinks();
    // What the chargers sent last is on disk before the database closes (their answers may not reach them any more).
    this.deps.commits.flush();
    this.deps.report.flush();
  }

  private sources() {
    return {
      linkState: (id: string) => this.states.state(id),
      chargerPresent: (id: string) => this.attached.get(id)?.present ?? false,
      log: this.deps.log,
      setAside: this.deps.setAside,
    };
  }
}
