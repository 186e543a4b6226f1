/**
 * Why a cluster node fenced itself (edge/cluster/leadership.ts, master-role.ts), in English, keyed by a stable reason
 * under `clusterFence.` in shared/server-messages.ts (German: browser/ui/i18n/messages/cluster-fence-de.ts). A node
 * logs and reports the English text, a driver's cause (an etcd error) after `: ` when it has one; its takeover event
 * carries the reason (edge/cluster/takeover-report.ts), and the fleet console and the dashboard say a fence reason in
 * the page's language, so no English is left on a German page. The cause stays in the logs and the event's details.
 */
export const CLUSTER_FENCE_MESSAGES = {
  deadlinePassed: 'the lease deadline passed before a leader action',
  writeRefused: 'etcd refused a write conditional on this term',
  stopped: 'stopped',
  leaseLost: 'etcd reports the lease lost',
  campaignFailed: 'campaign failed',
  keepaliveLate: 'no keepalive was confirmed in time',
  rebuildFailed: 'could not rebuild from the ledger',
};

export type ClusterFenceReason = keyof typeof CLUSTER_FENCE_MESSAGES;

/** The text a node fences with for `reason`, with the driver's `cause` after it when there is one. */
export const fenceText = (reason: ClusterFenceReason, cause?: string): string =>
  cause === undefined ? CLUSTER_FENCE_MESSAGES[reason] : `${CLUSTER_FENCE_MESSAGES[reason]}: ${cause}`;

/** The reason of a text `fenceText` made (its cause, if any, left aside); undefined for any other text (an older agent's). */
export function fenceReasonOf(text: string): ClusterFenceReason | undefined {
  return (Object.keys(CLUSTER_FENCE_MESSAGES) as ClusterFenceReason[]).find((reason) => {
    const said = CLUSTER_FENCE_MESSAGES[reason];
    return text === said || text.startsWith(`${said}: `);
  });
}
