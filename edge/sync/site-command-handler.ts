/**
 * Commands from the cloud on the gateway's command topic: read, checked against the site (its id, its chargers and
 * connectors, the command's expiry), run once per command id through the CommandExecutor, and answered once on the
 * gateway's command result topic. Seen ids and their results are kept in the sync database, so a redelivery after a restart
 * is not run again, and a result that could not be sent is sent after the next connect.
 */
import { MAX_MESSAGE_BYTES } from '../../shared/sync/sync-messages';
import {
  SiteCommandResultSchema,
  SiteCommandSchema,
  type SiteCommand,
  type SiteCommandOutcome,
  type SiteCommandResult,
} from '../../shared/sync/site-commands';
import { gatewayCommandResultTopic, gatewayCommandTopic } from '../../shared/sync/sync-topics';
import type { Clock } from '../platform/clock';
import type { OutboxDatabase } from './outbox-database';
import type { CommandExecutor, SyncLog, SyncTransport } from './sync-ports';

/** The chargers a command may name: the site in force's. */
export interface CommandSiteChargers {
  readonly id: string;
  readonly connectors: readonly { readonly id: number }[];
}

export interface SiteCommandHandlerDeps {
  readonly transport: SyncTransport;
  readonly executor: CommandExecutor;
  readonly db: OutboxDatabase;
  /** The gateway's thing name: its command topics are keyed by it. */
  readonly thingName: string;
  readonly siteId: string;
  /** The site in force's chargers now (a version saved on the dashboard replaces them while the agent runs). */
  readonly chargers: () => readonly CommandSiteChargers[];
  readonly clock: Clock;
  readonly log: SyncLog;
}

/** How long seen command ids are remembered (longer than any broker keeps a queued command). */
const REMEMBER_MS = 7 * 24 * 3600 * 1000;

export class SiteCommandHandler {
  private readonly off: (() => void)[] = [];
  private readonly claim;
  private readonly saveResult;
  private readonly markAnswered;
  private readonly unanswered;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: SiteCommandHandlerDeps) {
    this.claim = deps.db.prepare<[string, number]>(
      'INSERT OR IGNORE INTO commands (command_id, received_at) VALUES (?, ?)',
    );
    this.saveResult = deps.db.prepare<[string, string]>('UPDATE commands SET result = ? WHERE command_id = ?');
    this.markAnswered = deps.db.prepare<[string]>('UPDATE commands SET answered = 1 WHERE command_id = ?');
    this.unanswered = deps.db.prepare<[], { result: string }>(
      'SELECT result FROM commands WHERE answered = 0 AND result IS NOT NULL ORDER BY received_at',
    );
    deps.db.prepare<[number]>('DELETE FROM commands WHERE received_at < ?').run(deps.clock.now() - REMEMBER_MS);
  }

  start(): void {
    this.off.push(this.deps.transport.onMessage((topic, payload) => this.onMessage(topic, payload)));
    this.off.push(this.deps.transport.onConnectionChange((connected) => connected && void this.onConnected()));
    if (this.deps.transport.connected) void this.onConnected();
  }

  /** Stops listening and waits for commands being run. */
  async stop(): Promise<void> {
    for (const off of this.off.splice(0)) off();
    await Promise.all([...this.running]);
  }

  private async onConnected(): Promise<void> {
    try {
      await this.deps.transport.subscribe([gatewayCommandTopic(this.deps.thingName)]);
    } catch (error) {
      this.deps.log.warn(
        { err: (error as Error).message },
        'commands: subscribe failed; retried on the next connection',
      );
      return;
    }
    for (const row of this.unanswered.all()) this.send(SiteCommandResultSchema.parse(JSON.parse(row.result)));
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic !== gatewayCommandTopic(this.deps.thingName)) return;
    if (payload.length > MAX_MESSAGE_BYTES)
      return this.deps.log.warn({ bytes: payload.length }, 'commands: oversized command dropped');
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      return this.deps.log.warn({}, 'commands: command is not JSON; dropped');
    }
    const parsed = SiteCommandSchema.safeParse(json);
    if (!parsed.success) {
      // Answer an unreadable command only if it names an id we can answer to.
      const commandId = (json as { commandId?: unknown } | null)?.commandId;
      if (typeof commandId !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(commandId))
        return this.deps.log.warn({}, 'commands: unreadable command without an id; dropped');
      if (!this.claimId(commandId)) return;
      return this.finish(commandId, {
        status: 'rejected',
        reason: 'invalid',
        message: parsed.error.issues
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')
          .slice(0, 500),
      });
    }
    const command = parsed.data;
    if (!this.claimId(command.commandId)) return;
    const refusal = this.authorise(command);
    if (refusal !== undefined) return this.finish(command.commandId, refusal);
    const run = this.run(command).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** False for an id seen before: it was (or is being) run and answered already. */
  private claimId(commandId: string): boolean {
    const fresh = this.claim.run(commandId, this.deps.clock.now()).changes > 0;
    if (!fresh) this.deps.log.info({ commandId }, 'commands: duplicate command ignored');
    return fresh;
  }

  private authorise(command: SiteCommand): SiteCommandOutcome | undefined {
    if (command.siteId !== this.deps.siteId)
      return { status: 'rejected', reason: 'wrongSite', message: `command for site "${command.siteId}"` };
    if (command.expiresAt !== undefined && command.expiresAt < this.deps.clock.now())
      return { status: 'rejected', reason: 'expired', message: 'command expired before it arrived' };
    const body = command.command;
    if (body.type === 'requestReport') return undefined;
    const connectors = this.deps.chargers().find((c) => c.id === body.chargerId)?.connectors;
    if (connectors === undefined)
      return {
        status: 'rejected',
        reason: 'unknownCharger',
        message: `charger "${body.chargerId}" is not part of this site`,
      };
    if ('connectorId' in body && !connectors.some((k) => k.id === body.connectorId))
      return {
        status: 'rejected',
        reason: 'unknownConnector',
        message: `charger "${body.chargerId}" has no connector ${body.connectorId}`,
      };
    return undefined;
  }

  private async run(command: SiteCommand): Promise<void> {
    let outcome: SiteCommandOutcome;
    try {
      outcome = await this.deps.executor.execute(command);
    } catch (error) {
      this.deps.log.error({ commandId: command.commandId, err: (error as Error).message }, 'commands: executor failed');
      outcome = { status: 'failed', reason: 'error', message: 'the gateway could not run the command' };
    }
    this.finish(command.commandId, outcome);
  }

  private finish(commandId: string, outcome: SiteCommandOutcome): void {
    const result: SiteCommandResult = {
      v: 1,
      commandId,
      siteId: this.deps.siteId,
      at: this.deps.clock.now(),
      ...outcome,
    };
    this.saveResult.run(JSON.stringify(result), commandId);
    this.send(result);
  }

  private send(result: SiteCommandResult): void {
    if (!this.deps.transport.connected) return;
    this.deps.transport.publish(gatewayCommandResultTopic(this.deps.thingName), JSON.stringify(result)).then(
      () => this.markAnswered.run(result.commandId),
      () => {},
    );
  }
}
