/**
 * When one connection's boot configuration runs (meter sampling, the fail-safe default profile). Every real boot is
 * configured: the charger may have lost its profiles, and the control loop reserves its maximum until a configuration
 * says the fail-safe is back (docs/control-loop.md, Reservations). What a cluster master asks for at a takeover (the
 * triggered boot, or the configuration in its place when the charger will not send one) is configured only if nothing
 * was on this connection yet: a charger that booted by itself on it was configured then, and a second run only doubles
 * the calls of a fleet reconnecting at once (docs/cluster.md).
 */
import type { BootTriggerWatch } from './boot-trigger-watch';

export class ConnectionBoot {
  private configured = false;
  /** A boot the charger sent by itself was read and its configuration has not started yet. */
  private realBootWaiting = false;

  /** `watch` tells the boot we asked for (a cluster master's connection only); `configure` starts the configuration. */
  constructor(
    private readonly watch: Pick<BootTriggerWatch, 'takeTriggered' | 'close'> | undefined,
    private readonly configure: () => void,
  ) {}

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
    this.configure();
  }
}
