/**
 * The policy through the named shadow `policy`: on every (re)connect the agent subscribes, asks for the whole document
 * (`/get`) and reconciles; deltas are applied as they come. A desired policy is validated, put in force through the
 * PolicySink at once and reported (`state.reported`), or refused with every reason while the last good policy stays.
 * The conflict rule with local edits is in policy-sync-state.ts.
 */
import type { FieldIssue } from '../../shared/errors';
import type { Policy } from '../../shared/policy/policy-schema';
import type { MessageParams } from '../../shared/server-messages';
import { eventSaid, type EventReason } from '../../shared/sync/event-reasons';
import {
  MAX_MESSAGE_BYTES,
  ReportedPolicySchema,
  parseDesiredPolicyState,
  reportedWithPolicy,
  type ReportedPolicy,
} from '../../shared/sync/sync-messages';
import { POLICY_SHADOW, shadowTopicPrefix } from '../../shared/sync/sync-topics';
import type { Clock } from '../platform/clock';
import type { OutboxProducer } from './outbox';
import {
  decideDesired,
  reportOf,
  type PolicySyncState,
  type PolicySyncStatus,
  type PolicySyncStore,
} from './policy-sync-state';
import {
  SHADOW_REPLIES,
  ShadowAnswerSchema,
  ShadowDeltaSchema,
  ShadowDocumentSchema,
  parseShadowTopic,
} from './shadow-documents';
import type { PolicyApplyResult, PolicyInForceOrigin, PolicySink, SyncLog, SyncTransport } from './sync-ports';

export interface PolicyShadowSyncDeps {
  readonly transport: SyncTransport;
  readonly sink: PolicySink;
  readonly store: PolicySyncStore;
  readonly thingName: string;
  readonly clock: Clock;
  readonly log: SyncLog;
  /** Where `policy.applied` and `policy.rejected` events go (the outbox). */
  readonly events?: OutboxProducer;
}

export class PolicyShadowSync {
  private state: PolicySyncState;
  private deltasHandled = 0;
  private readonly prefix: string;
  private tokens = 0;
  private reportToken: string | undefined;
  private readonly off: (() => void)[] = [];

  constructor(private readonly deps: PolicyShadowSyncDeps) {
    const loaded = deps.store.load();
    if (loaded.problem !== undefined) deps.log.warn({ problem: loaded.problem }, 'stored policy sync state ignored');
    this.state = loaded.state;
    this.prefix = `${shadowTopicPrefix(deps.thingName, POLICY_SHADOW)}/`;
    if (loaded.legacy !== undefined) this.importLegacy(loaded.legacy);
  }

  /**
   * An agent upgraded from before the policy-in-force record: its record starts at version 0 (the migration cannot
   * read this database), so the version and source the sync kept are given to it once, with the policy already in
   * force, and the copy is dropped. Otherwise the next /get would take the cloud's current version as newer.
   */
  private importLegacy(legacy: PolicyInForceOrigin): void {
    const origin = this.deps.sink.origin();
    if (legacy.source !== 'config' && origin.version === 0) {
      const result = this.deps.sink.apply(this.deps.sink.inForce(), { version: legacy.version, source: legacy.source });
      if (!result.ok) this.deps.log.warn({ issues: result.issues }, 'stored policy sync version not imported');
    }
    this.deps.store.save(this.state);
  }

  /** The policy in force's version and source (the sink's record), and what the shadow is (to be) told. */
  get status(): Readonly<PolicySyncStatus> {
    return { ...this.state, inForce: this.inForce(), deltasHandled: this.deltasHandled };
  }

  start(): void {
    this.off.push(this.deps.transport.onMessage((topic, payload) => this.onMessage(topic, payload)));
    this.off.push(this.deps.transport.onConnectionChange((connected) => connected && void this.onConnected()));
    if (this.deps.transport.connected) void this.onConnected();
  }

  stop(): void {
    for (const off of this.off.splice(0)) off();
  }

  /** A policy edited on the site's dashboard: in force at once, reported as `local` now or when the link returns. */
  applyLocal(policy: Policy): PolicyApplyResult {
    const version = this.inForce().version;
    const result = this.deps.sink.apply(policy, { version, source: 'local' });
    if (!result.ok) return result;
    this.update({
      ...this.state,
      report: reportOf(version, 'applied', 'local', this.deps.clock.now()),
      reported: false,
    });
    this.event(eventSaid('policy.applied', 'siteEvent.localPolicyApplied', { version }), 'info', {
      version,
      source: 'local',
    });
    this.pushReport();
    return result;
  }

  private async onConnected(): Promise<void> {
    try {
      await this.deps.transport.subscribe(SHADOW_REPLIES.map((reply) => this.prefix + reply));
      await this.deps.transport.publish(this.prefix + 'get', JSON.stringify({ clientToken: this.token() }));
    } catch (error) {
      this.deps.log.warn(
        { err: (error as Error).message },
        'policy shadow: subscribe or get failed; retried on the next connection',
      );
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    const where = parseShadowTopic(topic);
    if (where === undefined || where.shadowName !== POLICY_SHADOW) return;
    // Counted first, handled at once (this runs to its end before the next message is read).
    if (where.reply === 'update/delta') this.deltasHandled++;
    if (where.thingName !== this.deps.thingName)
      return this.refuseDocument('siteEvent.shadowOtherThing', { thing: where.thingName.slice(0, 200) }, { topic });
    if (payload.length > MAX_MESSAGE_BYTES)
      return this.refuseDocument(
        'siteEvent.shadowTooLarge',
        { bytes: payload.length, maximum: MAX_MESSAGE_BYTES },
        { topic },
      );
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      return this.refuseDocument('siteEvent.shadowNotJson', undefined, { topic });
    }
    switch (where.reply) {
      case 'get/accepted':
        return this.onDocument(json);
      case 'update/delta':
        return this.onDelta(json);
      case 'get/rejected':
        // 404: no shadow yet. Our pending report creates it.
        this.deps.log.info({ answer: ShadowAnswerSchema.safeParse(json).data }, 'policy shadow: get rejected');
        this.reportConfigured();
        return this.pushReport();
      case 'update/accepted':
        return this.onUpdateAnswer(json, true);
      case 'update/rejected':
        return this.onUpdateAnswer(json, false);
      default:
        return;
    }
  }

  private onDocument(json: unknown): void {
    const doc = ShadowDocumentSchema.safeParse(json);
    if (!doc.success)
      return this.refuseDocument('siteEvent.shadowMalformed', undefined, { issues: doc.error.issues.length });
    const { desired, reported } = doc.data.state;
    if (desired !== undefined && desired !== null) this.onDesired(desired);
    this.reportConfigured();
    // The shadow may have lost or never got our last report (a restart before /update/accepted, a reset shadow), or
    // holds one without the policy in force (an older agent wrote it).
    const report = this.state.report;
    if (report !== undefined && !sameReport(reported, this.withPolicy(report)))
      this.update({ ...this.state, reported: false });
    this.pushReport();
  }

  private onDelta(json: unknown): void {
    const delta = ShadowDeltaSchema.safeParse(json);
    if (!delta.success)
      return this.refuseDocument('siteEvent.deltaMalformed', undefined, { issues: delta.error.issues.length });
    // A delta carries only the keys that differ from reported: a partial one is read from the whole document.
    if (!('version' in delta.data.state) || !('policy' in delta.data.state)) {
      void this.deps.transport
        .publish(this.prefix + 'get', JSON.stringify({ clientToken: this.token() }))
        .catch(() => {});
      return;
    }
    this.onDesired(delta.data.state);
    this.pushReport();
  }

  private onDesired(desired: unknown): void {
    const parsed = parseDesiredPolicyState(desired);
    const fingerprint = JSON.stringify(desired);
    if (!parsed.ok) {
      const version = parsed.version ?? 0;
      if (parsed.version !== undefined && decideDesired(this.inForce(), version) === 'keep') return;
      return this.refuseDesired(version, parsed.issues, fingerprint);
    }
    if (decideDesired(this.inForce(), parsed.version) === 'keep') return;
    if (fingerprint === this.state.lastRejected) return;
    const result = this.deps.sink.apply(parsed.policy, { version: parsed.version, source: 'cloud' });
    if (!result.ok) return this.refuseDesired(parsed.version, result.issues, fingerprint);
    this.update({ report: reportOf(parsed.version, 'applied', 'cloud', this.deps.clock.now()), reported: false });
    this.event(eventSaid('policy.applied', 'siteEvent.policyApplied', { version: parsed.version }), 'info', {
      version: parsed.version,
      source: 'cloud',
    });
  }

  /** Keeps the policy in force and reports the refusal once per document. */
  private refuseDesired(version: number, issues: readonly FieldIssue[], fingerprint: string): void {
    if (fingerprint === this.state.lastRejected) return;
    this.deps.log.warn({ version, issues }, 'policy shadow: desired policy refused');
    this.update({
      ...this.state,
      report: reportOf(version, 'rejected', 'cloud', this.deps.clock.now(), [...issues]),
      reported: false,
      lastRejected: fingerprint,
    });
    const first = issues[0];
    this.event(eventSaid('policy.rejected', 'siteEvent.policyRefused', { version }), 'warning', {
      version,
      issues: issues.length,
      ...(first && { firstPath: first.path.slice(0, 200), firstMessage: first.message.slice(0, 300) }),
    });
  }

  /** A shadow message we cannot read at all: logged and reported as an event; nothing changes. */
  private refuseDocument(
    reason: EventReason<'policy.rejected'>,
    params: MessageParams | undefined,
    details: Record<string, string | number>,
  ): void {
    const said = eventSaid('policy.rejected', reason, params);
    this.deps.log.warn(details, `policy shadow: ${said.message}`);
    this.event(said, 'warning', details);
  }

  private onUpdateAnswer(json: unknown, accepted: boolean): void {
    const answer = ShadowAnswerSchema.safeParse(json);
    const token = answer.success ? answer.data.clientToken : undefined;
    if (token === undefined || token !== this.reportToken) return;
    this.reportToken = undefined;
    if (accepted) this.update({ ...this.state, reported: true });
    else
      this.deps.log.warn(
        { code: answer.data?.code, message: answer.data?.message },
        'policy shadow: report rejected; retried on the next connection',
      );
  }

  /** Sends the pending report when connected; `errors: null` removes a previous report's errors (shadows merge keys). */
  private pushReport(): void {
    const report = this.state.report;
    if (report === undefined || this.state.reported || !this.deps.transport.connected) return;
    const checked = ReportedPolicySchema.safeParse(report);
    if (!checked.success) {
      this.deps.log.error({ issues: checked.error.issues }, 'policy shadow: our own report is invalid');
      return;
    }
    this.reportToken = this.token();
    const reported = { ...this.withPolicy(checked.data), errors: checked.data.errors ?? null };
    this.deps.transport
      .publish(this.prefix + 'update', JSON.stringify({ state: { reported }, clientToken: this.reportToken }))
      .catch(() => {});
  }

  /**
   * A site that never had a cloud policy or a local edit still runs one (its configuration file's): it is reported,
   * once, so that the fleet console starts from it instead of from defaults.
   */
  private reportConfigured(): void {
    if (this.state.report !== undefined) return;
    const { version, source } = this.inForce();
    this.update({
      ...this.state,
      report: reportOf(version, 'applied', source, this.deps.clock.now()),
      reported: false,
    });
  }

  private withPolicy(report: ReportedPolicy): ReportedPolicy {
    return reportedWithPolicy(report, this.deps.sink.inForce());
  }

  /** The version and source in force: the policy-in-force record's, never a copy of our own. */
  private inForce(): PolicySyncStatus['inForce'] {
    const { version, source } = this.deps.sink.origin();
    return { version, source };
  }

  private update(state: PolicySyncState): void {
    this.state = state;
    this.deps.store.save(state);
  }

  private token(): string {
    return `${this.deps.thingName.slice(0, 40)}-${this.deps.clock.now().toString(36)}-${++this.tokens}`;
  }

  private event(
    said: ReturnType<typeof eventSaid<'policy.applied' | 'policy.rejected'>>,
    severity: 'info' | 'warning',
    details: Record<string, string | number>,
  ): void {
    this.deps.events?.enqueue('events', { ...said, severity, details });
  }
}

/** True when the shadow's reported state already says what `report` says. */
function sameReport(reported: unknown, report: ReportedPolicy): boolean {
  // A broker that keeps `errors: null` (AWS removes null keys) must not make us report again on every connect.
  const present =
    typeof reported === 'object' && reported !== null
      ? Object.fromEntries(Object.entries(reported).filter(([, v]) => v !== null))
      : reported;
  const parsed = ReportedPolicySchema.safeParse(present);
  if (!parsed.success) return false;
  const r = parsed.data;
  return (
    r.version === report.version &&
    r.status === report.status &&
    r.source === report.source &&
    r.appliedAt === report.appliedAt &&
    r.policy === report.policy
  );
}
