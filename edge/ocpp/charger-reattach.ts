/**
 * In a cluster, a charger that connects to the master has often not rebooted: it was attached to the old master and
 * only reconnected after a takeover, and some chargers send neither BootNotification nor StatusNotification again on a
 * reconnect. So the master asks for both (TriggerMessage). A charger that will not send its boot is configured as at
 * boot at once (meter sampling, the fail-safe default profile); one that does is configured when its boot arrives, as
 * any charger is. Its leases are sent again by the control loop, as for any charger that connects.
 */
import { sendCommand, type RpcCaller } from './command-sender';

export async function reattachCharger(peer: RpcCaller, timeoutMs: number, configure: () => void): Promise<void> {
  const boot = await sendCommand(peer, 'TriggerMessage', { requestedMessage: 'BootNotification' }, timeoutMs);
  if (boot.kind !== 'accepted') configure();
  await sendCommand(peer, 'TriggerMessage', { requestedMessage: 'StatusNotification' }, timeoutMs);
}
