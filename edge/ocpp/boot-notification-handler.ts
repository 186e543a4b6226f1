/**
 * The BootNotification handler: a charger's real boot is answered once the charger is protected, also when an
 * operator's CSMS answers it (docs/ocpp.md, "At boot"). Its own file because the boot's answer, the control loop's
 * `booted` event and the wait for protection are one piece of state kept across the answer, the tap and the relay.
 */
import { z } from 'zod';
import { BootNotificationSchema } from './charge-point-messages';
import { handler, type Answer, type HandlerContext } from './charge-point-handler-context';
import { ocppDateTime, REGISTRATION_STATUSES, type RegistrationStatus } from './ocpp-values';

const BootAnswerSchema = z.object({ status: z.enum(REGISTRATION_STATUSES) });

/** The answers to boots the control loop was told of before they were answered. */
const toldBoots = new WeakSet<Answer>();

/** A CSMS's Accepted answers to a charger's own boot: they reach the charger once it is protected. */
export const relayedBootsToProtect = new WeakSet<Answer>();

const bootAnswer = (ctx: HandlerContext, status: RegistrationStatus): Answer => ({
  status,
  currentTime: ocppDateTime(ctx.now()),
  interval: ctx.heartbeatIntervalSeconds,
});

function tellBooted(
  ctx: HandlerContext,
  boot: z.output<typeof BootNotificationSchema>,
  registration: RegistrationStatus,
  triggered: boolean,
): void {
  ctx.events.onEvent({
    type: 'booted',
    chargerId: ctx.chargerId,
    at: ctx.now(),
    registration,
    triggered,
    vendor: boot.chargePointVendor,
    model: boot.chargePointModel,
    serialNumber: boot.chargePointSerialNumber ?? boot.chargeBoxSerialNumber,
    firmwareVersion: boot.firmwareVersion,
  });
}

export const bootNotification = handler(
  BootNotificationSchema,
  async (ctx, boot) => {
    if (ctx.registration !== 'Accepted' || ctx.protectBeforeAnswer === undefined)
      return bootAnswer(ctx, ctx.registration);
    // The loop hears of a real boot before its configuration starts; a boot we asked for is answered at once.
    const triggered = ctx.bootTriggered();
    tellBooted(ctx, boot, 'Accepted', triggered);
    if (!triggered) await ctx.protectBeforeAnswer();
    const answer = bootAnswer(ctx, 'Accepted');
    toldBoots.add(answer);
    return answer;
  },
  (ctx, boot, answer) => {
    const registration = BootAnswerSchema.parse(answer).status;
    if (!toldBoots.has(answer)) {
      const triggered = ctx.bootTriggered();
      tellBooted(ctx, boot, registration, triggered);
      if (ctx.relay !== undefined && registration === 'Accepted' && !triggered) relayedBootsToProtect.add(answer);
    }
    // The configuration calls must follow our answer on the wire, so they start on the next turn (a boot answered
    // once protected was configured before its answer, and is not again).
    if (registration === 'Accepted') setImmediate(() => ctx.onBootAccepted());
  },
);
