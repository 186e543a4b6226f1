/**
 * An operator's CSMS this team did not write: @voltbras/ts-ocpp's CentralSystem on a loopback port, recording every
 * call it receives (payload as it arrived), handing out its own transaction ids from 1000 and echoing DataTransfer.
 * A StartTransaction it gets again unchanged is given the id it had (OCPP 1.6 has no idempotency key: a CSMS knows a
 * repeat by its content, as SteVe does).
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import tsOcpp, { type CentralSystem } from '@voltbras/ts-ocpp';
import { ConditionWaiters } from '../../../support/condition-waiters';
import { restartPort } from '../../../support/restart-port';

export interface ReceivedCall {
  readonly chargePointId: string;
  readonly action: string;
  readonly payload: Record<string, unknown>;
}

/** ts-ocpp keeps its HTTP server private; a test reads its port and closes its sockets through it. */
interface Internals {
  readonly httpServer: Server;
  readonly websocketsServer: { clients: Set<{ terminate(): void }> };
}

export class TsOcppCsms {
  readonly received: ReceivedCall[] = [];
  private nextTransactionId = 1000;
  private readonly waiters = new ConditionWaiters();
  private readonly connected = new Set<string>();
  /** How many connections each charge point identity opened to this CSMS (since this instance started). */
  readonly connects = new Map<string, number>();
  /** Actions the CSMS answers with a CALLERROR. */
  readonly refused = new Set<string>();
  /** How many calls of an action to leave unanswered (the CSMS loses them), counting down. */
  readonly unanswered = new Map<string, number>();
  /** How many calls of an action the CSMS handles (a start gets its id) but whose answer is lost, counting down. */
  readonly lostAnswers = new Map<string, number>();
  /** The calls whose answers were lost. */
  readonly lost: ReceivedCall[] = [];
  private readonly startIds = new Map<string, number>();

  private constructor(
    private readonly cs: CentralSystem,
    readonly port: number,
  ) {
    cs.addConnectionListener((id, status) => {
      if (status === 'connected') {
        this.connected.add(id);
        this.connects.set(id, (this.connects.get(id) ?? 0) + 1);
      } else this.connected.delete(id);
      this.notify();
    });
  }

  /** Listens on `port` at 127.0.0.1; by default a free one that no other socket takes while `restart` waits. */
  static async start(port?: number, firstTransactionId = 1000): Promise<TsOcppCsms> {
    // The handler runs only once the server listens, by when the wrapper exists.
    const ready: { csms?: TsOcppCsms } = {};
    // The default import: under tsx (the benchmarks) Node cannot see this CommonJS package's named exports.
    const cs = new tsOcpp.CentralSystem(
      port ?? (await restartPort()),
      (request, { chargePointId }) => {
        if (ready.csms === undefined) throw new Error('not ready');
        return ready.csms.answer(chargePointId, request as unknown as Record<string, unknown>) as never;
      },
      { host: '127.0.0.1' },
    );
    const http = (cs as unknown as Internals).httpServer;
    if (!http.listening) await once(http, 'listening');
    const csms = new TsOcppCsms(cs, (http.address() as AddressInfo).port);
    csms.nextTransactionId = firstTransactionId;
    ready.csms = csms;
    return csms;
  }

  /** The same CSMS back after `close` on the same port, with its records (calls, lost answers, transaction ids). */
  async restart(): Promise<TsOcppCsms> {
    const back = await TsOcppCsms.start(this.port, this.nextTransactionId);
    back.received.push(...this.received);
    back.lost.push(...this.lost);
    for (const [key, id] of this.startIds) back.startIds.set(key, id);
    return back;
  }

  /** The endpoint a charger (or the agent) appends `/<identity>` to. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/ocpp`;
  }

  isConnected(chargePointId: string): boolean {
    return this.connected.has(chargePointId);
  }

  of(action: string, chargePointId?: string): Record<string, unknown>[] {
    return this.received
      .filter((r) => r.action === action && (chargePointId === undefined || r.chargePointId === chargePointId))
      .map((r) => r.payload);
  }

  /** The id the CSMS gave a charge point's StartTransaction with this payload, if it got one. */
  transactionIdOf(chargePointId: string, startPayload: Record<string, unknown>): number | undefined {
    return this.startIds.get(`${chargePointId} ${JSON.stringify(startPayload)}`);
  }

  /** A call from the CSMS to a charge point; resolves with its answer payload, rejects with a CALLERROR. */
  async send(chargePointId: string, action: string, payload: Record<string, unknown>): Promise<unknown> {
    const result = await this.cs
      .sendRequest({ ocppVersion: 'v1.6-json', chargePointId, action: action as never, payload: payload as never })
      .run();
    return result.caseOf({
      Left: (error) => {
        throw error;
      },
      Right: (answer) => answer,
    });
  }

  /** Resolves once `check` holds (checked on every call received and connection change); rejects after `timeoutMs`. */
  until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
    return this.waiters.until(
      what,
      check,
      timeoutMs,
      () => `received ${JSON.stringify(this.received.map((r) => r.action))}`,
    );
  }

  /** Stops listening and cuts every connection (the CSMS goes away). */
  async close(): Promise<void> {
    const internals = this.cs as unknown as Internals;
    for (const client of internals.websocketsServer.clients) client.terminate();
    internals.httpServer.closeAllConnections();
    await this.cs.close();
  }

  private answer(
    chargePointId: string,
    request: Record<string, unknown>,
  ): Record<string, unknown> | Promise<Record<string, unknown>> {
    const { action, ocppVersion, ...payload } = request;
    this.received.push({ chargePointId, action: String(action), payload });
    setImmediate(() => this.notify());
    if (this.refused.has(String(action))) throw new Error(`${String(action)} refused`);
    const drop = this.unanswered.get(String(action)) ?? 0;
    if (drop > 0) {
      this.unanswered.set(String(action), drop - 1);
      return new Promise(() => undefined);
    }
    const answer = this.reply(chargePointId, String(action), payload);
    const lose = this.lostAnswers.get(String(action)) ?? 0;
    if (lose > 0) {
      this.lostAnswers.set(String(action), lose - 1);
      this.lost.push({ chargePointId, action: String(action), payload });
      return new Promise(() => undefined);
    }
    return { action, ocppVersion, ...answer };
  }

  private reply(chargePointId: string, action: string, payload: Record<string, unknown>): Record<string, unknown> {
    const now = new Date().toISOString();
    switch (action) {
      case 'BootNotification':
        return { status: 'Accepted', currentTime: now, interval: 300 };
      case 'Heartbeat':
        return { currentTime: now };
      case 'Authorize':
        return { idTagInfo: { status: payload.idTag === 'BLOCKED' ? 'Blocked' : 'Accepted' } };
      case 'StartTransaction': {
        const key = `${chargePointId} ${JSON.stringify(payload)}`;
        const transactionId = this.startIds.get(key) ?? this.nextTransactionId++;
        this.startIds.set(key, transactionId);
        return { transactionId, idTagInfo: { status: 'Accepted' } };
      }
      case 'DataTransfer':
        return { status: 'Accepted', data: `csms:${String(payload.data)}` };
      default:
        return {};
    }
  }

  private notify(): void {
    this.waiters.changed();
  }
}
