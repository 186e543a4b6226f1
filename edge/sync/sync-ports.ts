/** The ports edge/sync needs and offers, typed with shared types only; edge/main.ts wires the adapters. */
import type { FieldIssue } from '../../shared/errors';
import type { Policy } from '../../shared/policy/policy-schema';
import type { SiteCommand, SiteCommandOutcome } from '../../shared/sync/site-commands';

/** A message link with QoS 1 publishes (MqttLink; tests may use the same class against aedes). */
export interface SyncTransport {
  readonly connected: boolean;
  /** Resolves when the broker acknowledged (PUBACK); rejects when the connection went away first. */
  publish(topic: string, payload: string): Promise<void>;
  /** Subscribes with QoS 1; rejects when the broker refused a topic. */
  subscribe(topics: readonly string[]): Promise<void>;
  /** `true` after every (re)connect, `false` after every loss; returns a function that removes the listener. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  onMessage(listener: (topic: string, payload: Buffer) => void): () => void;
}

export interface PolicyApplyMeta {
  /** The cloud version in force (for a local edit: the cloud version it was based on). */
  readonly version: number;
  readonly source: 'cloud' | 'local';
}

export type PolicyApplyResult = { readonly ok: true } | { readonly ok: false; readonly issues: readonly FieldIssue[] };

/**
 * Puts a validated policy in force at once (the control loop's `setPolicy`). It may refuse one that does not fit the
 * site (e.g. a connector it does not have) with the reasons. Must not throw, must not wait on the network.
 */
export interface PolicySink {
  apply(policy: Policy, meta: PolicyApplyMeta): PolicyApplyResult;
  /** The policy in force now (what the site reports running). */
  inForce(): Policy;
  /** Where it came from: the one record of the policy in force (edge/control/policy-in-force.ts), kept across restarts. */
  origin(): PolicyInForceOrigin;
}

/** The source of the policy in force and the cloud version it is (for a local edit or the site file: last saw). */
export interface PolicyInForceOrigin {
  readonly version: number;
  readonly source: 'cloud' | 'local' | 'config';
}

/** Runs one authorised command (central system calls, a fresh report) and says what came of it. */
export interface CommandExecutor {
  execute(command: SiteCommand): Promise<SiteCommandOutcome>;
}

/** The slice of a pino logger sync uses. */
export interface SyncLog {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}
