/** Waits, with a bound, until a condition holds, checked again whenever its owner says something changed. */
type Waiter = { check: () => boolean; resolve: () => void };

export class ConditionWaiters {
  private waiters: Waiter[] = [];

  /**
   * Resolves once `check` holds (at once, or after a later `changed()`); rejects after `timeoutMs`, naming `what` and
   * what `state()` tells of the owner then.
   */
  until(what: string, check: () => boolean, timeoutMs: number, state: () => string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`not within ${timeoutMs} ms: ${what}; ${state()}`));
      }, timeoutMs);
      const waiter: Waiter = { check, resolve: () => (clearTimeout(timer), resolve()) };
      this.waiters.push(waiter);
    });
  }

  /** Something the conditions read changed: resolves those that hold now. */
  changed(): void {
    const ready = this.waiters.filter((w) => w.check());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    ready.forEach((w) => w.resolve());
  }
}
