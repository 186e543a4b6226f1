/** When the master prunes the ledger (edge/cluster/ledger-pruning.ts): on fake timers, with the pass as a counter. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LedgerPruner, PRUNE_EVERY_MS, type PruneCount } from '../../../../edge/cluster/ledger-pruning';

const TERM = { key: 'election/site/leader/1', term: '7' };

describe('LedgerPruner', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function pruner(pass: () => Promise<PruneCount>, serving: () => boolean) {
    const log = { info: vi.fn(), error: vi.fn() };
    return { pruner: new LedgerPruner(pass, serving, log), log };
  }

  it('should prune every interval while the node serves, and stop at its fence', async () => {
    // Arrange
    const pass = vi.fn(() => Promise.resolve({ transactions: 2, startRequests: 2 }));
    const { pruner: p, log } = pruner(pass, () => true);

    // Act
    p.elected(TERM);
    await vi.advanceTimersByTimeAsync(PRUNE_EVERY_MS * 3);
    p.fenced();
    await vi.advanceTimersByTimeAsync(PRUNE_EVERY_MS * 3);

    // Assert
    expect(pass).toHaveBeenCalledTimes(3);
    expect(log.info).toHaveBeenCalledWith({ transactions: 2, startRequests: 2 }, 'ledger pruned');
  });

  it('should not prune while the node does not serve, and go on after a pass that failed', async () => {
    // Arrange
    let serving = false;
    const pass = vi
      .fn<() => Promise<PruneCount>>()
      .mockRejectedValueOnce(new Error('etcd did not answer'))
      .mockResolvedValue({ transactions: 0, startRequests: 0 });
    const { pruner: p, log } = pruner(pass, () => serving);

    // Act
    p.elected(TERM);
    await vi.advanceTimersByTimeAsync(PRUNE_EVERY_MS);
    serving = true;
    await vi.advanceTimersByTimeAsync(PRUNE_EVERY_MS * 2);
    p.stop();

    // Assert
    expect(pass).toHaveBeenCalledTimes(2);
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.info).not.toHaveBeenCalled();
  });

  it('should run one pass at a time: a slow pass is not joined by the next', async () => {
    // Arrange
    let finish: (count: PruneCount) => void = () => undefined;
    const pass = vi.fn(() => new Promise<PruneCount>((resolve) => (finish = resolve)));
    const { pruner: p } = pruner(pass, () => true);

    // Act
    p.elected(TERM);
    await vi.advanceTimersByTimeAsync(PRUNE_EVERY_MS * 3);
    finish({ transactions: 0, startRequests: 0 });
    await vi.advanceTimersByTimeAsync(PRUNE_EVERY_MS);
    p.stop();

    // Assert
    expect(pass).toHaveBeenCalledTimes(2);
  });
});
