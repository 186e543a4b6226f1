import { describe, expect, it } from 'vitest';
import { ConnectionBoot } from '../../../../edge/ocpp/connection-boot';

/** A connection whose boots are, in turn, ours (`true`) or the charger's own; counts the configurations started. */
function connection(kinds: boolean[]) {
  const counts = { configured: 0, watchClosed: false };
  const watch = { takeTriggered: () => kinds.shift() ?? false, close: () => void (counts.watchClosed = true) };
  return { boot: new ConnectionBoot(watch, () => counts.configured++), counts };
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
});
