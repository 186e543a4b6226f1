/**
 * Chargers' WebSocket handshakes before the work that follows a connection. After a takeover every charger of the site
 * reconnects within seconds, and each one the master takes in brings work that can wait (its boot configuration, the
 * re-attachment's TriggerMessages) and, through its answers, more. A charger gives up on a handshake not answered within
 * its connect timeout (seconds) and tries again only after its back-off (tens of seconds), and Node answers handshakes
 * and that work in arrival order: at 500 chargers on a loaded gateway the handshakes queued behind the earlier
 * chargers' work past that timeout (docs/cluster.md, "Partly fixed: a new master answered a fleet's handshakes too
 * late").
 * So that work waits while any TCP connection to the OCPP port has not been answered its upgrade yet, and runs once
 * none is, or after `maxDeferMs` at the latest, so that a connection that never sends its request cannot hold a
 * charger's fail-safe back for long.
 */
import type { Socket } from 'node:net';

export class HandshakesFirst {
  /** Accepted connections whose upgrade has not been answered (taken in, refused) yet. */
  private readonly awaiting = new Set<Socket>();
  private readonly deferred: (() => void)[] = [];
  private deadline: NodeJS.Timeout | undefined;

  constructor(private readonly maxDeferMs: number) {}

  /** A TCP connection to the OCPP port was accepted: its handshake is under way until it is answered or closes. */
  accepted(socket: Socket): void {
    this.awaiting.add(socket);
    socket.once('close', () => this.answered(socket));
  }

  /** `socket`'s upgrade was answered (the charger is taken in; a refusal closes it). */
  answered(socket: Socket): void {
    if (this.awaiting.delete(socket) && this.awaiting.size === 0) this.runDeferred();
  }

  /** Runs `work` on the next turn of the event loop when no handshake waits, else once none does (or the bound passed). */
  defer(work: () => void): void {
    this.deferred.push(work);
    if (this.awaiting.size === 0 && this.deferred.length === 1) setImmediate(() => this.runDeferred());
    else this.deadline ??= setTimeout(() => this.runDeferred(), this.maxDeferMs);
  }

  /** Nothing deferred runs any more (the server is closing). */
  close(): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
    this.deferred.length = 0;
  }

  private runDeferred(): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
    for (const work of this.deferred.splice(0)) work();
  }
}
