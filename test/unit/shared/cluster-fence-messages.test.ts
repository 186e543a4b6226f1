/**
 * Issue 16: a node's fence reason is one of a table's, so its takeover event says it by reason and the console and the
 * dashboard say it in the page's language (before, the agent's English words, quoted unmarked in the German events list).
 */
import { describe, expect, it } from 'vitest';
import { fencedEventBody } from '../../../edge/cluster/takeover-report';
import {
  CLUSTER_FENCE_MESSAGES,
  type ClusterFenceReason,
  fenceReasonOf,
  fenceText,
} from '../../../shared/cluster-fence-messages';
import { EventBodySchema } from '../../../shared/sync/sync-messages';

const REASONS = Object.keys(CLUSTER_FENCE_MESSAGES) as ClusterFenceReason[];

describe('fence reasons', () => {
  it.each(REASONS)('should read %s back from its text, with or without a cause', (reason) => {
    expect(fenceReasonOf(fenceText(reason))).toBe(reason);
    expect(fenceReasonOf(fenceText(reason, 'Error: 14 UNAVAILABLE: No connection established'))).toBe(reason);
  });

  it('should know no reason in another text, nor in a text that only begins like one', () => {
    expect(fenceReasonOf('lease lost: etcd did not answer within 3000 ms')).toBeUndefined();
    expect(fenceReasonOf('stopped twice')).toBeUndefined();
  });

  it("should say a fence in the takeover event by its reason, and keep a driver's cause in the details only", () => {
    // Arrange
    const text = fenceText('campaignFailed', 'Error: 14 UNAVAILABLE: No connection established');

    // Act
    const body = EventBodySchema.parse(fencedEventBody('gw-a', '7', text));

    // Assert
    expect(body.params).toEqual({ node: 'gw-a', term: '7', reason: { ref: 'clusterFence.campaignFailed' } });
    expect(body.message).toBe('gw-a fenced in term 7: campaign failed');
    expect(body.details?.['reason']).toBe(text);
  });
});
