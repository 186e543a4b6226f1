/**
 * Why the agent closed a charger's connection, in English, keyed by a stable reason under `chargerClose.` in
 * shared/server-messages.ts (German: browser/ui/i18n/messages/charger-close-de.ts). The agent sends one of these as the
 * WebSocket close reason, taken from here (edge/ocpp/central-system-server.ts, edge/ocpp/charger-attach.ts,
 * edge/cluster/master-role.ts, edge/upstream/upstream-gateway.ts; test/unit/shared/charger-close-messages.test.ts
 * fails on a close reason written there as text); the charger echoes it, and the disconnect's event line says it by
 * its reason, so a German page shows it in German. A reason the charger gave of its own stays as the charger wrote it.
 */
export const CHARGER_CLOSE_MESSAGES = {
  replaced: 'replaced by a newer connection with the same identity',
  notMaster: 'this node is not the cluster master',
  noLongerMaster: 'this node is no longer the cluster master',
  siteChanged: 'the site changed: connect again',
  stopping: 'central system stopping',
  csmsLost: 'CSMS connection lost',
  csmsUnreachable: 'CSMS unreachable',
};

export type ChargerCloseReason = keyof typeof CHARGER_CLOSE_MESSAGES;

/** The reason whose text is `words` exactly, or undefined for any other text (a charger's own words). */
export const chargerCloseReasonOf = (words: string): ChargerCloseReason | undefined =>
  (Object.keys(CHARGER_CLOSE_MESSAGES) as ChargerCloseReason[]).find((key) => CHARGER_CLOSE_MESSAGES[key] === words);

/**
 * A disconnect's close reason as a parameter (a MessageParam of shared/server-messages.ts, which imports this
 * catalogue, so the type is not named here): the agent's own by its reason, a charger's as written.
 */
export function closeReasonParam(words: string): string | { readonly ref: `chargerClose.${ChargerCloseReason}` } {
  const reason = chargerCloseReasonOf(words);
  return reason === undefined ? words : { ref: `chargerClose.${reason}` };
}
