/**
 * Chargers' boot configurations and re-attachments, a bounded number at a time, in the order they came. After a
 * takeover the whole fleet reconnects within seconds, and each charger taken in brings a chain of calls and answers
 * (its configuration's four calls, the re-attachment's TriggerMessages, each answer an event for the control loop). Run
 * all at once, that chain of every charger already taken in shared the event loop with the handshakes still waiting,
 * and those timed out (docs/cluster.md, "Partly fixed: a new master answered a fleet's handshakes too late"). Each job
 * starts through `schedule` (handshakes first), and the next one only once one in flight has finished.
 */
export class AttachmentQueue {
  private running = 0;
  private readonly waiting: (() => Promise<unknown>)[] = [];
  private closed = false;

  constructor(
    private readonly maxRunning: number,
    /** Starts a job when it may (after the handshakes under way, handshakes-first.ts). */
    private readonly schedule: (start: () => void) => void,
  ) {}

  /** Runs `job` once fewer than `maxRunning` jobs are in flight and every job queued before it has started. */
  run(job: () => Promise<unknown>): void {
    if (this.closed) return;
    this.waiting.push(job);
    this.startWaiting();
  }

  /** Nothing waiting starts any more (the server is closing). */
  close(): void {
    this.closed = true;
    this.waiting.length = 0;
  }

  private startWaiting(): void {
    while (this.running < this.maxRunning && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      this.schedule(() => {
        // A job reports its own failures; the queue only needs to know it ended.
        void Promise.resolve()
          .then(job)
          .catch(() => undefined)
          .finally(() => {
            this.running--;
            this.startWaiting();
          });
      });
    }
  }
}
