/**
 * Tells a charger's own BootNotification (it rebooted, or is new, and may hold no charging profile) from the one a
 * cluster master asked for with TriggerMessage at a takeover (it did not reboot, and keeps its profiles: OCPP 1.6
 * profiles persist without their central system). A charger answers a TriggerMessage before it sends what was asked
 * for (OCPP 1.6 5.17), so a boot that crosses the wire after the charger accepted our trigger is ours; one that comes
 * before that answer, or without a trigger, is its own. The order is read from the frames as they arrive, not from
 * when our handlers get to them: two frames read in one go are handled in an order the wire does not fix.
 */
import type { EventEmitter } from 'node:events';

interface Frame {
  readonly message: string;
  readonly outbound: boolean;
}

export class BootTriggerWatch {
  /** The message id of our TriggerMessage(BootNotification), until the charger answers it. */
  private triggerId: string | undefined;
  private accepted = false;
  /** Whether the latest boot that crossed the wire was ours. */
  private latestTriggered = false;
  private readonly onFrame = (frame: Frame) => this.read(frame);

  /** Watches `client`'s frames (ocpp-rpc's `message` event) until the boot it asks for has come. */
  constructor(private readonly client: Pick<EventEmitter, 'on' | 'off'>) {
    client.on('message', this.onFrame);
  }

  /** True when the boot being handled now is the one we asked for; read once per boot. */
  takeTriggered(): boolean {
    const triggered = this.latestTriggered;
    this.latestTriggered = false;
    return triggered;
  }

  private read({ message, outbound }: Frame): void {
    // Only three kinds of frame matter, and they are told by their start and method name without parsing the rest.
    if (outbound) {
      if (!message.includes('"TriggerMessage"')) return;
      const [type, id, method, params] = parsed(message);
      if (type === 2 && method === 'TriggerMessage' && isBootRequest(params)) this.triggerId = String(id);
      return;
    }
    if (this.triggerId !== undefined && message.startsWith('[3')) {
      const [, id, result] = parsed(message);
      if (String(id) !== this.triggerId) return;
      this.triggerId = undefined;
      this.accepted = isAccepted(result);
      if (!this.accepted) this.close();
      return;
    }
    if (!message.startsWith('[2') || !message.includes('"BootNotification"')) return;
    const [type, , method] = parsed(message);
    if (type !== 2 || method !== 'BootNotification') return;
    this.latestTriggered = this.accepted;
    if (this.accepted) this.close();
  }

  /** Stops watching: no trigger for a boot is (or will be) on its way, so every boot that comes is the charger's own. */
  close(): void {
    this.accepted = false;
    this.client.off('message', this.onFrame);
  }
}

function parsed(message: string): unknown[] {
  try {
    const value: unknown = JSON.parse(message);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

const isBootRequest = (params: unknown) =>
  typeof params === 'object' &&
  params !== null &&
  (params as { requestedMessage?: unknown }).requestedMessage === 'BootNotification';

const isAccepted = (result: unknown) =>
  typeof result === 'object' && result !== null && (result as { status?: unknown }).status === 'Accepted';
