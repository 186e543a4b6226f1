/**
 * When a charger that booted may start transactions: once its boot configuration's outcome was taken and its first
 * idle hold was answered (or will not be sent now). The central system answers the boot only then
 * (docs/ocpp.md, "At boot"), so a car that plugs in meanwhile waits for the hold instead of starting on whatever the
 * charger holds and being stopped when the hold lands.
 */
export class BootReadiness {
  /** Chargers that booted, and whether their configuration's outcome came since. */
  private readonly booting = new Map<string, { configured: boolean; waiters: (() => void)[] }>();

  /** The charger booted for real: it is not protected until configured and its hold answered. */
  booted(chargerId: string): void {
    const known = this.booting.get(chargerId);
    if (known === undefined) this.booting.set(chargerId, { configured: false, waiters: [] });
    else known.configured = false;
  }

  /** Its boot configuration ended (the fail-safe accepted or not). */
  configured(chargerId: string): void {
    const known = this.booting.get(chargerId);
    if (known !== undefined) known.configured = true;
  }

  /** Resolves once the charger is protected (at once for one that did not boot). */
  protectedAfterBoot(chargerId: string): Promise<void> {
    const known = this.booting.get(chargerId);
    if (known === undefined) return Promise.resolve();
    return new Promise((resolve) => known.waiters.push(resolve));
  }

  /** Lets go of every configured charger whose first hold is settled (`holdSettled`). */
  settle(holdSettled: (chargerId: string) => boolean): void {
    for (const [chargerId, known] of this.booting) {
      if (!known.configured || !holdSettled(chargerId)) continue;
      this.booting.delete(chargerId);
      for (const resolve of known.waiters) resolve();
    }
  }
}
