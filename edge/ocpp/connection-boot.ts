/**
 * When one connection's boot configuration runs (meter sampling, the fail-safe default profile). Every real boot is
 * configured: the charger may have lost its profiles, and the control loop reserves its maximum until a configuration
 * says the fail-safe is back (docs/control-loop.md, Reservations). What a cluster master asks for at a takeover (the
 * triggered boot, or the configuration in its place when the charger will not send one) is configured only if nothing
 * was on this connection yet: a charger that booted by itself on it was configured then, and a second run only doubles
 * the calls of a fleet reconnecting at once (docs/cluster.md).
 */
import type { BootTriggerWatch } from './boot-trigger-watch';

/**
 * The longest a real boot's answer waits for the charger to be protected (docs/ocpp.md, "At boot"): three of our
 * command timeouts (15 s by default) for its configuration's four calls and its first idle hold, well within the 30 s
 * or more chargers give a central system to answer (ocpp-rpc's default is 60 s). A charger slower than that is
 * answered anyway, and configured after, as before.
 */
export const bootAnswerMaxMs = (commandTimeoutMs: number): number => 3 * commandTimeoutMs;

export class ConnectionBoot {
  private configured = false;
  /** A boot the charger sent by itself was read and its configuration has not started yet. */
  private realBootWaiting = false;
  /** The configuration started on this connection, until it ended. */
  private configuration: Promise<void> = Promise.resolve();

  /**
   * `watch` tells the boot we asked for (a cluster master's connection only); `configure` starts the configuration and
   * resolves once it ended.
   */
  constructor(
    private readonly watch: Pick<BootTriggerWatch, 'takeTriggered' | 'close'> | undefined,
    private readonly configure: () => Promise<void>,
  ) {}

  /**
   * A real boot that is answered only once the charger is protected: its configuration starts now, before the answer
   * (a charger sends no other request until its boot is answered, OCPP 1.6 4.2, so no car starts meanwhile), and the
   * answer waits for it and for `protectedAfterBoot` (the control loop: the first idle hold is in), `maxMs` at most.
   */
  async protectBeforeAnswer(protectedAfterBoot: Promise<void>, maxMs: number): Promise<void> {
    this.accepted();
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([this.configuration, protectedAfterBoot]),
      new Promise((resolve) => (bound = setTimeout(resolve, maxMs))),
    ]);
    clearTimeout(bound);
  }

  /** True when the boot being handled now is the one we asked for; read once per boot, by the boot's handler. */
  triggered(): boolean {
    const triggered = this.watch?.takeTriggered() ?? false;
    if (!triggered) this.realBootWaiting = true;
    return triggered;
  }

  /** A boot was answered Accepted. */
  accepted(): void {
    if (!this.realBootWaiting) return this.configureOnce();
    this.realBootWaiting = false;
    this.start();
  }

  /** The charger will not send the boot we asked for: configured as at boot, unless it was on this connection. */
  configureOnce(): void {
    if (!this.configured) this.start();
  }

  /** Whether a boot configuration started on this connection: asking for a boot again would only bring a second. */
  hasConfigured(): boolean {
    return this.configured;
  }

  /** We will not ask for a boot on this connection: every boot that comes is the charger's own. */
  noTrigger(): void {
    this.watch?.close();
  }

  private start(): void {
    this.configured = true;
    this.configuration = this.configure();
  }
}
