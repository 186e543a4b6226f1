import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionBoot } from '../../../../edge/ocpp/connection-boot';

/** A connection whose boots are, in turn, ours (`true`) or the charger's own; counts the configurations started. */
function connection(kinds: boolean[]) {
  const counts = { configured: 0, watchClosed: false };
  const watch = { takeTriggered: () => kinds.shift() ?? false, close: () => void (counts.watchClosed = true) };
  const configure = () => {
    counts.configured++;
    return Promise.resolve();
  };
  return { boot: new ConnectionBoot(watch, configure), counts };
}

/** One boot as the boot handler takes it: read, answered Accepted. */
const bootOn = (boot: ConnectionBoot) => {
  const triggered = boot.triggered();
  boot.accepted();
  return triggered;
};

describe('ConnectionBoot', () => {
  it('should configure every boot the charger sends by itself, even twice on one connection', () => {
    const { boot, counts } = connection([false, false]);
    bootOn(boot);
    bootOn(boot);
    expect(counts.configured).toBe(2);
  });

  it('should not configure the boot we asked for again after the charger booted by itself', () => {
    const { boot, counts } = connection([false, true]);
    expect([bootOn(boot), bootOn(boot)]).toEqual([false, true]);
    expect(counts.configured).toBe(1);
  });

  it('should configure a real boot read just after ours, before either was configured', () => {
    // Two boots read in one go: ours, then a reboot; their configurations start after both were read
    const { boot, counts } = connection([true, false]);
    boot.triggered();
    boot.triggered();
    boot.accepted();
    boot.accepted();
    expect(counts.configured).toBe(1);
    expect(boot.hasConfigured()).toBe(true);
  });

  it('should configure a charger that will not send the boot we asked for only if nothing was yet', () => {
    const fresh = connection([]);
    fresh.boot.configureOnce();
    fresh.boot.configureOnce();
    expect(fresh.counts.configured).toBe(1);

    const booted = connection([false]);
    bootOn(booted.boot);
    booted.boot.configureOnce();
    expect(booted.counts.configured).toBe(1);
  });

  it('should stop telling boots apart once no boot will be asked for', () => {
    const { boot, counts } = connection([]);
    boot.noTrigger();
    expect(counts.watchClosed).toBe(true);
  });

  describe('a real boot answered once the charger is protected', () => {
    afterEach(() => vi.useRealTimers());

    /** A promise and its resolver. */
    const deferred = () => {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    };

    it('should start the configuration before the answer and wait for it and for the protection', async () => {
      // Arrange
      const configuration = deferred();
      const protection = deferred();
      let configured = 0;
      const boot = new ConnectionBoot(undefined, () => {
        configured++;
        return configuration.promise;
      });
      boot.triggered();
      let answered = false;

      // Act
      const answering = boot.protectBeforeAnswer(protection.promise, 60_000).then(() => (answered = true));
      await Promise.resolve();
      const beforeEither = { configured, answered };
      configuration.resolve();
      await new Promise((r) => setImmediate(r));
      const configuredOnly = answered;
      protection.resolve();
      await answering;

      // Assert: the tap's accepted() after the answer starts no second configuration
      boot.accepted();
      expect(beforeEither).toEqual({ configured: 1, answered: false });
      expect(configuredOnly).toBe(false);
      expect(configured).toBe(1);
    });

    it('should answer after the bound when the charger is never protected', async () => {
      // Arrange
      vi.useFakeTimers();
      const boot = new ConnectionBoot(undefined, () => new Promise<void>(() => {}));
      boot.triggered();
      let answered = false;

      // Act
      const answering = boot.protectBeforeAnswer(new Promise<void>(() => {}), 15_000).then(() => (answered = true));
      await vi.advanceTimersByTimeAsync(14_999);
      const beforeBound = answered;
      await vi.advanceTimersByTimeAsync(1);
      await answering;

      // Assert
      expect(beforeBound).toBe(false);
      expect(answered).toBe(true);
    });
  });
});
