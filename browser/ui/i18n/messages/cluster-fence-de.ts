/** German: why a cluster node fenced itself (shared/cluster-fence-messages.ts has the English and says where it comes from). */
import type { CLUSTER_FENCE_MESSAGES } from '../../../../shared/cluster-fence-messages';

export const clusterFenceDe: typeof CLUSTER_FENCE_MESSAGES = {
  deadlinePassed: 'die Lease-Frist war vor einer Aktion als Master abgelaufen',
  writeRefused: 'etcd hat einen an diese Amtszeit gebundenen Schreibvorgang abgelehnt',
  stopped: 'angehalten',
  leaseLost: 'etcd meldet den Lease als verloren',
  campaignFailed: 'Kandidatur bei etcd fehlgeschlagen',
  keepaliveLate: 'kein Keepalive rechtzeitig bestätigt',
  rebuildFailed: 'Wiederaufbau aus dem Ledger fehlgeschlagen',
};
