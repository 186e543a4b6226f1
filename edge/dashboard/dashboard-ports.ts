/** The parts of the agent the dashboard reads and changes, as narrow interfaces; edge/main.ts passes the real ones. */
import type { AllocateFn, Allocation, SiteSnapshot } from '../../shared/allocation/allocation-types';
import type { CsmsLinkPoint, EventEntry, LoadSample, SessionHistoryRow } from '../../shared/dashboard/api-answers';
import type { ClusterNodeStatus } from '../../shared/dashboard/cluster-answer';
import type { ClusterNetwork, HostInterface } from '../../shared/dashboard/network-answer';
import type { DemandAnswer } from '../../shared/dashboard/demand-answer';
import type { MeterTestReadAnswer } from '../../shared/dashboard/meter-test-read-answer';
import type { SetAsideMessageView, UpstreamCharger } from '../../shared/dashboard/upstream-answer';
import type { Policy } from '../../shared/policy/policy-schema';
import type { MessageRef } from '../../shared/server-messages';
import type { Site } from '../../shared/site/site-schema';
import type { MeterReading } from '../../shared/site/site-state';
import type { MeterConfig } from '../meter/meter-config';
import type { Clock } from '../platform/clock';
import type { CommandName, CommandRequest } from '../ocpp/central-system-commands';
import type { ChargerEvent } from '../ocpp/charger-events';
import type { CommandResult } from '../ocpp/command-sender';
import type { AuthThrottle } from '../security/auth-throttle';
import type { ChargerRecord } from '../store/charger-registry';
import type { UnknownCharger } from '../store/unknown-charger-store';
import type { SiteChanges } from './actions/site-changes';
import type { SyncStatus } from '../sync/edge-sync';
import type { PolicyApplyResult, PolicySink } from '../sync/sync-ports';
import type { AdminPasswordStore, PasswordHasher } from './auth/admin-account';
import type { ChargerActivity } from './live/charger-activity';
import type { EventLog } from './live/event-log';
import type { HttpLog } from './http/error-responses';
import type { LoadHistory } from './live/load-history';
import type { CsmsLinkHistory } from './live/csms-link-history';
import type { SentProfilesAnswer } from '../../shared/dashboard/sent-profiles-answer';

/** The site runtime, read only. */
export interface SiteReader {
  /** The site in force: the version in force, with the connectors adopted at run time. */
  readonly site: Site;
  /** The version in force (edge/store/site-version-store.ts): what a policy may name. */
  readonly configuredSite: Site;
  /** Refs of the connectors adopted at run time. */
  adoptedRefs(): readonly string[];
  lastValidReading(meterId: string): MeterReading | undefined;
  meterFault(meterId: string): MessageRef | undefined;
}

/** The meters the agent polls (edge/meter/meter-pollers.ts): why one reads nothing valid, with a stable reason. */
export interface MeterFaults {
  fault(meterId: string): MessageRef | undefined;
}

/** The control loop: the policy and allocation in force, and a new policy put in force at once (and persisted). */
export interface ControlHandle {
  readonly policy: Policy;
  readonly allocation: Allocation | undefined;
  /** The allocator's input as the loop would use it now. */
  snapshot(): SiteSnapshot;
  setPolicy(policy: Policy): void;
  /** Peak-demand control's current period, target and the months' peaks. */
  demandStatus(): DemandAnswer;
}

/** The site as versioned data, and the chargers that dialled in unknown, waiting to be adopted. */
export interface SiteSetupHandle {
  readonly changes: SiteChanges;
  readonly unknown: {
    list(): UnknownCharger[];
    find(identity: string): UnknownCharger | undefined;
    forget(identity: string): void;
  };
  /** The meters the agent reads, and a one-off read of one with settings not in force (the page's "test read"). */
  readonly meters: {
    /** The register maps the agent knows, by model id. */
    readonly models: readonly string[];
    list(): readonly MeterConfig[];
    testRead(meter: MeterConfig): Promise<MeterTestReadAnswer>;
  };
}

/** What the agent stores per charger; a cluster node's changes resolve once the ledger has them (edge/cluster). */
export interface ChargerStore {
  record(chargerId: string): ChargerRecord;
  setEnabled(chargerId: string, enabled: boolean): void | Promise<void>;
  setDashboardPassword(chargerId: string, hash: string, at: number): void | Promise<void>;
}

/** The central system, to tell a connected charger about a change. */
export interface ChargerCommands {
  isConnected(chargerId: string): boolean;
  command<K extends CommandName>(chargerId: string, name: K, request: CommandRequest<K>): Promise<CommandResult<K>>;
}

/** The one record of the policy in force and its origin (edge/control/policy-in-force.ts); applies a policy at once. */
export type PolicyInForceHandle = Pick<PolicySink, 'apply' | 'origin'>;

/** The cloud link, when the agent has one. */
export interface CloudLinkHandle {
  applyLocalPolicy(policy: Policy): PolicyApplyResult;
  status(): SyncStatus;
}

/** The links to the operator's CSMS (edge/upstream), when the agent runs in front of one. */
export interface UpstreamHandle {
  status(chargerId: string): UpstreamCharger;
  /** The messages set aside, oldest first. */
  setAside(limit: number): SetAsideMessageView[];
  /** Deletes one message set aside and returns it; undefined when there is none under `seq`. */
  purgeSetAside(seq: number): SetAsideMessageView | undefined;
}

/** The agent as a node of its site's cluster (edge/cluster), when it has a `cluster` section. */
export interface ClusterStatusHandle {
  /** Its role, election, leader, peers and witness (or its two-gateway majority) now; read only, bounded in time. */
  status(): Promise<ClusterNodeStatus>;
  /** The virtual address, the peers' reachability, etcd's members and keepalived (the Network page). */
  network(): Promise<ClusterNetwork>;
  /** Changes the site's election for every node if it is still at `version` (a compare-and-swap in etcd). */
  changeElection(
    setting: { readonly electionType: 'static' | 'dynamic'; readonly staticOrder: readonly string[] },
    version: string,
  ): Promise<void>;
}

/** What the feed tells the dashboard changed (it pushes each to open pages). */
export type FeedChange =
  | { readonly kind: 'allocation' }
  | { readonly kind: 'charger'; readonly event?: ChargerEvent }
  | { readonly kind: 'sample'; readonly sample: LoadSample; readonly csmsLink?: CsmsLinkPoint }
  | { readonly kind: 'event'; readonly entry: EventEntry };

/** What the agent learns while it runs (live/site-feed.ts), as the dashboard reads it and adds its own lines to it. */
export interface DashboardFeed {
  readonly activity: ChargerActivity;
  readonly events: EventLog;
  readonly history: LoadHistory;
  /** Behind an operator's CSMS: the link's history (live/csms-link-history.ts). */
  readonly csmsHistory: CsmsLinkHistory | undefined;
  /** Returns the function that removes the listener. */
  onChange(listener: (change: FeedChange) => void): () => void;
  /** A line from the dashboard itself (e.g. a charger password changed). */
  addEvent(entry: EventEntry | undefined): void;
}

/** The stored charging sessions, newest first. */
export interface SessionHistory {
  recent(limit: number): SessionHistoryRow[];
}

export interface DashboardDeps {
  readonly reader: SiteReader;
  readonly meterFaults: MeterFaults;
  readonly control: ControlHandle;
  readonly chargers: ChargerStore;
  readonly commands: ChargerCommands;
  /** The charging profiles the agent sent each charger, with its answers (edge/ocpp/sent-profiles.ts). */
  readonly sentProfiles: { of(chargerId: string): SentProfilesAnswer['connectors'] };
  readonly cloud: CloudLinkHandle | undefined;
  readonly upstream?: UpstreamHandle | undefined;
  /** Absent: a single agent, the site's only master. */
  readonly cluster?: ClusterStatusHandle | undefined;
  /** This gateway's addresses (the Network page). */
  readonly hostInterfaces: () => readonly HostInterface[];
  readonly feed: DashboardFeed;
  readonly sessions: SessionHistory;
  readonly admin: {
    readonly store: AdminPasswordStore;
    readonly hasher: PasswordHasher;
    readonly configuredHash: string | undefined;
  };
  /** Back-off and lockout of failed sign-ins (its lockouts reach the event list, the log and the cloud). */
  readonly signInThrottle: AuthThrottle;
  /** Whether chargers must present a password (ocpp.basicAuth). */
  readonly basicAuth: boolean;
  /** Where the policy in force came from (site file, dashboard, cloud); without a cloud link, edits go straight to it. */
  readonly policyInForce: PolicyInForceHandle;
  readonly allocate: AllocateFn;
  readonly clock: Clock;
  readonly log: HttpLog;
  /** Site setup (versions, adoption); absent, the site is read from the site file only. */
  readonly siteSetup?: SiteSetupHandle;
}
