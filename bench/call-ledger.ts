/**
 * Every call virtual chargers make during a measurement window, by message id: its round trip, or what became of it
 * (a CALLERROR, a timeout, a result that failed the charger's schema check, a call that never reached the wire).
 */
import type { VirtualCharger } from '../sim/charger/virtual-charger';

interface OpenCall {
  readonly at: number;
  readonly method: string;
}

/** ocpp-rpc's error fields, when the error came from a CALLERROR. */
type RpcError = Error & { rpcErrorCode?: string };

const describe = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const code = (error as RpcError).rpcErrorCode;
  return code !== undefined ? `CALLERROR ${code}: ${error.message}` : `${error.name}: ${error.message}`;
};

export class CallLedger {
  readonly latenciesMs: number[] = [];
  /** `method: what went wrong` → how many calls. */
  readonly failures = new Map<string, number>();
  /** Charger connections that closed while the window was open. */
  disconnections = 0;
  private readonly open = new Map<string, OpenCall>();
  private readonly counted = new WeakSet<object>();
  private counting = false;
  private sentInWindow = 0;

  /** Follows one charger's calls (its timers' own errors come through `onChargerError`). */
  attach(charger: VirtualCharger): void {
    const { client } = charger;
    const key = (messageId: string) => `${charger.spec.id}:${messageId}`;
    client.on('call', ({ outbound, payload }: { outbound: boolean; payload: [number, string, string, unknown] }) => {
      if (!outbound || !this.counting) return;
      this.sentInWindow += 1;
      this.open.set(key(payload[1]), { at: performance.now(), method: payload[2] });
    });
    client.on('callResult', ({ outbound, messageId }: { outbound: boolean; messageId: string }) => {
      const call = outbound ? this.open.get(key(messageId)) : undefined;
      if (call === undefined) return;
      this.open.delete(key(messageId));
      this.latenciesMs.push(performance.now() - call.at);
    });
    client.on(
      'callError',
      ({
        outbound,
        messageId,
        method,
        error,
      }: {
        outbound: boolean;
        messageId: string;
        method: string;
        error: unknown;
      }) => {
        if (!outbound) return;
        if (typeof error === 'object' && error !== null) this.counted.add(error);
        if (this.open.delete(key(messageId))) this.fail(`${method}: ${describe(error)}`);
      },
    );
    client.on('close', () => {
      if (this.counting) this.disconnections += 1;
    });
  }

  /** A call a charger's timer made failed; counted unless its outcome was already seen on the wire. */
  onChargerError(error: unknown): void {
    if (!this.counting || (typeof error === 'object' && error !== null && this.counted.has(error))) return;
    this.fail(`not sent: ${describe(error)}`);
  }

  startWindow(): void {
    this.counting = true;
    this.sentInWindow = 0;
    this.latenciesMs.length = 0;
    this.failures.clear();
    this.disconnections = 0;
  }

  /** Stops taking new calls and waits (up to `boundMs`) for the window's calls still in flight. */
  async closeWindow(boundMs: number): Promise<void> {
    this.counting = false;
    const deadline = performance.now() + boundMs;
    while (this.open.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const call of this.open.values())
      this.fail(`${call.method}: no answer within ${Math.round(performance.now() - call.at)} ms`);
    this.open.clear();
  }

  get sent(): number {
    return this.sentInWindow;
  }

  get lost(): number {
    let total = 0;
    for (const count of this.failures.values()) total += count;
    return total;
  }

  private fail(what: string): void {
    this.failures.set(what, (this.failures.get(what) ?? 0) + 1);
  }
}
