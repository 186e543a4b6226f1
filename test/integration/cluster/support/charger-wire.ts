/** What one virtual charger sent and was answered on the wire: its transaction messages, to compare with what agents stored. */
import type { VirtualCharger } from '../../../../sim/charger/virtual-charger';
import { nextReceipt } from './receipt-order';

export interface WireCall {
  readonly method: string;
  readonly params: Record<string, unknown>;
  /** The central system's answer, once it came. */
  answer?: Record<string, unknown>;
  /** Which of the charger's connections (1, 2, ...) it went over. */
  readonly connection: number;
  /** Its place in the test's order of receipts (receipt-order.ts). */
  readonly order: number;
  /** When it was sent or received, epoch ms (the failover bench times leases with it). */
  readonly atMs: number;
}

export class ChargerWire {
  readonly calls: WireCall[] = [];
  /** The calls the central system made to the charger, in order. */
  readonly received: WireCall[] = [];
  /** How many connections the charger has opened. */
  connections = 0;

  constructor(charger: VirtualCharger) {
    const pending = new Map<string, WireCall>();
    charger.client.on('open', () => {
      this.connections += 1;
    });
    charger.client.on('message', ({ message, outbound }: { message: string | Buffer; outbound: boolean }) => {
      const frame = JSON.parse(String(message)) as unknown[];
      if (outbound && frame[0] === 2) {
        const call = { ...this.callOf(frame), order: nextReceipt(), atMs: Date.now() };
        pending.set(String(frame[1]), call);
        this.calls.push(call);
      }
      if (!outbound && frame[0] === 2)
        this.received.push({ ...this.callOf(frame), order: nextReceipt(), atMs: Date.now() });
      const call = pending.get(String(frame[1]));
      if (!outbound && frame[0] === 3 && call !== undefined) call.answer = frame[2] as Record<string, unknown>;
    });
  }

  private callOf(frame: unknown[]): Omit<WireCall, 'order' | 'atMs'> {
    return { method: String(frame[2]), params: frame[3] as Record<string, unknown>, connection: this.connections };
  }

  /** The calls of `method` the central system answered. */
  answered(method: string): WireCall[] {
    return this.calls.filter((call) => call.method === method && call.answer !== undefined);
  }
}
