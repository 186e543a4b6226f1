/**
 * In a cluster, a charger that connects to the master has often not rebooted: it was attached to the old master and
 * only reconnected after a takeover, and some chargers send neither BootNotification nor StatusNotification again on a
 * reconnect. So the master asks for both (TriggerMessage). A charger that will not send its boot is configured as at
 * boot at once (meter sampling, the fail-safe default profile); one that does is configured when its boot arrives, as
 * any charger is. One that booted by itself on this connection before we got to it was configured then: it is not
 * asked again (a second boot would bring a second configuration). Its leases are sent again by the control loop, as
 * for any charger that connects.
 */
import { sendCommand, type RpcCaller } from './command-sender';
import type { ConnectionBoot } from './connection-boot';

export async function reattachCharger(
  peer: RpcCaller,
  timeoutMs: number,
  boot: Pick<ConnectionBoot, 'hasConfigured' | 'configureOnce' | 'noTrigger'>,
): Promise<void> {
  if (boot.hasConfigured()) boot.noTrigger();
  else {
    const asked = await sendCommand(peer, 'TriggerMessage', { requestedMessage: 'BootNotification' }, timeoutMs);
    if (asked.kind !== 'accepted') boot.configureOnce();
  }
  await sendCommand(peer, 'TriggerMessage', { requestedMessage: 'StatusNotification' }, timeoutMs);
}
