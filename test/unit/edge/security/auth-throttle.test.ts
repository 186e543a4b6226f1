import { describe, expect, it } from 'vitest';
import { AuthThrottle, addressKey, type Lockout } from '../../../../edge/security/auth-throttle';
import { ManualClock } from '../../../../sim/charger/sim-clock';

const SETTINGS = { freeFailures: 3, firstLockoutSeconds: 1, maxLockoutSeconds: 60 };

function arrange(maxKeys = 100) {
  const clock = new ManualClock();
  const lockouts: Lockout[] = [];
  const throttle = new AuthThrottle('dashboard', SETTINGS, {
    now: () => clock.now(),
    onLockout: (l) => lockouts.push(l),
    maxKeys,
  });
  /** One attempt that fails; the verdict it got. */
  const fail = (identity: string, address?: string) => {
    const attempt = throttle.begin({ identity, address });
    if (attempt.allowed) attempt.failed();
    return attempt;
  };
  return { clock, lockouts, throttle, fail };
}

describe('AuthThrottle', () => {
  it('should allow the free failures, then lock the identity with a doubling delay up to the cap', () => {
    // Arrange
    const { clock, throttle, fail, lockouts } = arrange();

    // Act / Assert
    for (let i = 0; i < 2; i++) expect(fail('admin').allowed).toBe(true);
    expect(fail('admin').allowed).toBe(true); // the third failure starts the first lockout
    expect(throttle.begin({ identity: 'admin', address: undefined })).toEqual({
      allowed: false,
      retryAfterMs: 1_000,
      lockedBy: 'identity',
    });
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const refusal = throttle.begin({ identity: 'admin', address: undefined });
      if (refusal.allowed) throw new Error('expected a lockout');
      delays.push(refusal.retryAfterMs);
      clock.advance(refusal.retryAfterMs);
      expect(fail('admin').allowed).toBe(true);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(lockouts).toHaveLength(9);
    expect(lockouts[0]).toMatchObject({
      boundary: 'dashboard',
      kind: 'identity',
      key: 'admin',
      failures: 3,
      lockedForMs: 1_000,
    });
  });

  it('should refuse the right password during a lockout, and forget the failures after a success', () => {
    // Arrange
    const { clock, throttle, fail } = arrange();
    for (let i = 0; i < 3; i++) fail('admin', '10.0.0.9');

    // Act
    const during = throttle.begin({ identity: 'admin', address: '10.0.0.9' });
    clock.advance(1_000);
    const after = throttle.begin({ identity: 'admin', address: '10.0.0.9' });
    if (after.allowed) after.succeeded();

    // Assert
    expect(during.allowed).toBe(false);
    expect(after.allowed).toBe(true);
    expect(fail('admin', '10.0.0.9').allowed).toBe(true);
    expect(fail('admin', '10.0.0.9').allowed).toBe(true);
    expect(throttle.begin({ identity: 'admin', address: '10.0.0.9' }).allowed).toBe(true);
  });

  it('should lock a source address that tries many identities', () => {
    // Arrange
    const { throttle, fail, lockouts } = arrange();

    // Act
    ['a', 'b', 'c'].forEach((identity) => fail(identity, '192.0.2.7'));
    const next = throttle.begin({ identity: 'd', address: '192.0.2.7' });
    const elsewhere = throttle.begin({ identity: 'd', address: '192.0.2.8' });

    // Assert
    expect(next).toMatchObject({ allowed: false, lockedBy: 'address' });
    expect(elsewhere.allowed).toBe(true);
    expect(lockouts.map((l) => [l.kind, l.key])).toEqual([['address', '192.0.2.7']]);
  });

  it('should count attempts still in flight, so parallel guesses cannot slip past the limit', () => {
    // Arrange
    const { throttle } = arrange();

    // Act: ten guesses start before any is judged
    const attempts = Array.from({ length: 10 }, () => throttle.begin({ identity: 'CP-1', address: '10.0.0.1' }));

    // Assert
    expect(attempts.filter((a) => a.allowed)).toHaveLength(3);
  });

  it('should let many identities from one clean address sign in at once (a site reconnecting after a power cut)', () => {
    // Arrange
    const { throttle } = arrange();

    // Act
    const attempts = Array.from({ length: 200 }, (_, i) =>
      throttle.begin({ identity: `CP-${i}`, address: '10.0.0.1' }),
    );

    // Assert
    expect(attempts.every((a) => a.allowed)).toBe(true);
  });

  it('should count attempts in flight against an address once it has failed', () => {
    // Arrange
    const { throttle, fail } = arrange();
    fail('CP-1', '10.0.0.1');

    // Act
    const attempts = Array.from({ length: 10 }, (_, i) =>
      throttle.begin({ identity: `CP-${i + 2}`, address: '10.0.0.1' }),
    );

    // Assert: one failure plus two in flight reach the three free failures
    expect(attempts.filter((a) => a.allowed)).toHaveLength(2);
  });

  it('should count an abandoned attempt neither way', () => {
    // Arrange
    const { throttle, fail } = arrange();
    fail('admin');
    fail('admin');

    // Act: three attempts that end before any password is judged
    for (let i = 0; i < 3; i++) {
      const attempt = throttle.begin({ identity: 'admin', address: undefined });
      if (attempt.allowed) attempt.abandoned();
    }

    // Assert: still one free failure left
    expect(fail('admin').allowed).toBe(true);
    expect(throttle.begin({ identity: 'admin', address: undefined }).allowed).toBe(false);
  });

  it('should stay bounded under a flood of random identities from random addresses', () => {
    // Arrange
    const { throttle, fail } = arrange(50);

    // Act
    for (let i = 0; i < 5_000; i++) fail(`id-${i}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);

    // Assert
    expect(throttle.trackedKeys).toBeLessThanOrEqual(50);
  });

  it.each([
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('should key the address %s as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});
