/**
 * A charge point that queues its transaction messages as OCPP 1.6 chargers do: StartTransaction, MeterValues and
 * StopTransaction wait in a queue that survives a reboot, go out one at a time in order, and leave it only once
 * answered; later messages of a transaction carry the id the StartTransaction's answer gave. A reboot may lose the
 * note that the last few messages were answered, and then sends them again unchanged. Everything it made is kept in
 * `made`, the truth a CSMS's records are compared with.
 */
import ocppRpc, { type RPCClient } from 'ocpp-rpc';
import { rawChargePoint } from '../../ocpp/support/raw-charge-point';

export type TransactionAction = 'StartTransaction' | 'MeterValues' | 'StopTransaction';

/** One transaction message as the charger made it; `transaction` names the charger's own transaction. */
export interface ChargerMessage {
  readonly transaction: string;
  readonly action: TransactionAction;
  /** The payload without a transaction id (the id is filled in when it is first sent). */
  readonly body: Record<string, unknown>;
}

interface Queued {
  readonly message: ChargerMessage;
  /** The payload as first sent: a resend is the same frame. */
  sent?: Record<string, unknown>;
}

/** What the charger answers the agent's own calls (leases, configuration). */
const ANSWERS: Record<string, Record<string, unknown>> = {
  SetChargingProfile: { status: 'Accepted' },
  ClearChargingProfile: { status: 'Accepted' },
  ChangeConfiguration: { status: 'Accepted' },
  GetConfiguration: { configurationKey: [] },
  TriggerMessage: { status: 'Accepted' },
  ChangeAvailability: { status: 'Accepted' },
  RemoteStopTransaction: { status: 'Accepted' },
};

export class QueueingChargePoint {
  readonly made: ChargerMessage[] = [];
  /** The id the charger was given for each of its transactions (provisional or the CSMS's). */
  readonly transactionIds = new Map<string, number>();
  /** The CALLERROR codes the agent answered its transaction messages with (each such message stays queued). */
  readonly refusals: string[] = [];
  private readonly queue: Queued[] = [];
  private readonly answered: Queued[] = [];
  private client: RPCClient | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    readonly id: string,
    private readonly password: string,
  ) {}

  /** Messages not answered yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** Connects to the agent at `endpoint`, boots, reports its connector, and sends what it has queued. */
  async connect(endpoint: string): Promise<void> {
    const client = rawChargePoint({ endpoint, identity: this.id, password: this.password });
    client.handle(({ method }) => {
      const answer = ANSWERS[method ?? ''];
      if (answer === undefined) throw new Error(`unexpected ${String(method)}`);
      return Promise.resolve(answer);
    });
    await client.connect();
    this.client = client;
    await client.call('BootNotification', { chargePointVendor: 'Soak', chargePointModel: 'Queueing' });
    await client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    await this.flush();
  }

  /** The connection is gone (the agent stopped, or the charger lost power). */
  async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close({ force: true });
    await this.flushing;
  }

  /** Power loss and reboot: the note that the last `unnoted` messages were answered is lost, so they go again. */
  async reboot(endpoint: string, unnoted: number): Promise<void> {
    await this.disconnect();
    this.queue.unshift(...this.answered.splice(Math.max(0, this.answered.length - unnoted)));
    await this.connect(endpoint);
  }

  /** Queues a message and sends what is queued. */
  async make(transaction: string, action: TransactionAction, body: Record<string, unknown>): Promise<void> {
    const message = { transaction, action, body };
    this.made.push(message);
    this.queue.push({ message });
    await this.flush();
  }

  /** Sends the queue in order, one message at a time, while connected. */
  flush(): Promise<void> {
    this.flushing ??= this.sendQueued().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async sendQueued(): Promise<void> {
    for (let head = this.queue[0]; head !== undefined && this.client !== undefined; head = this.queue[0]) {
      const { message } = head;
      head.sent ??=
        message.action === 'StartTransaction'
          ? message.body
          : { ...message.body, transactionId: this.transactionIds.get(message.transaction) };
      let answer: unknown;
      try {
        answer = await this.client.call(message.action, head.sent);
      } catch (error) {
        // Refused (a CALLERROR) or the connection went: the message stays queued, to be sent again.
        if (error instanceof ocppRpc.RPCError) this.refusals.push(error.rpcErrorCode);
        return;
      }
      if (message.action === 'StartTransaction') {
        this.transactionIds.set(message.transaction, (answer as { transactionId: number }).transactionId);
      }
      this.queue.shift();
      this.answered.push(head);
    }
  }
}
