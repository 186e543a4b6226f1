/**
 * A cluster node's fence reason as the agent wrote it (shared/cluster-fence-messages.ts), in the page's language; a
 * text of no known reason (an older agent's) as written, marked English.
 */
import { fenceReasonOf } from '../../../shared/cluster-fence-messages';
import { tIfKnown } from './i18n';
import { untranslated } from './untranslated';

export function fenceReasonText(text: string): HTMLElement | string {
  const reason = fenceReasonOf(text);
  return (reason && tIfKnown(`errors.server.clusterFence.${reason}`)) ?? untranslated(text);
}
