/** When a charger that booted is protected: the central system answers its boot then (docs/ocpp.md, "At boot"). */
import { describe, expect, it } from 'vitest';
import { BootReadiness } from '../../../../edge/control/boot-readiness';

/** Whether the promise has settled by the time queued microtasks ran. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('BootReadiness', () => {
  it('should let a charger that did not boot be answered at once', async () => {
    expect(await settled(new BootReadiness().protectedAfterBoot('CP-1'))).toBe(true);
  });

  it('should hold a booted charger until it was configured and its first hold settled', async () => {
    // Arrange
    const readiness = new BootReadiness();
    readiness.booted('CP-1');
    const waiting = readiness.protectedAfterBoot('CP-1');
    let holdSettled = false;

    // Act / Assert: neither the hold alone nor the configuration alone lets it go
    holdSettled = true;
    readiness.settle(() => holdSettled);
    expect(await settled(waiting)).toBe(false);
    holdSettled = false;
    readiness.configured('CP-1');
    readiness.settle(() => holdSettled);
    expect(await settled(waiting)).toBe(false);
    holdSettled = true;
    readiness.settle(() => holdSettled);
    expect(await settled(waiting)).toBe(true);
  });

  it('should wait for the configuration of a second boot that came before the first was protected', async () => {
    // Arrange
    const readiness = new BootReadiness();
    readiness.booted('CP-1');
    readiness.configured('CP-1');

    // Act
    readiness.booted('CP-1');
    const waiting = readiness.protectedAfterBoot('CP-1');
    readiness.settle(() => true);

    // Assert
    expect(await settled(waiting)).toBe(false);
  });
});
