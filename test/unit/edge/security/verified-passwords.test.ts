/**
 * A charger's connections after the first check (or after start, for a configured password) cost no scrypt, so a
 * fleet reconnecting at once after a takeover is let in without seconds of key derivation (docs/cluster.md). The slow
 * check is the real scrypt check, counted.
 */
import { describe, expect, it } from 'vitest';
import { chargerPasswordHashes } from '../../../../edge/security/charger-password-hashes';
import { hashPassword, verifyPassword } from '../../../../edge/security/password-hash';
import { VerifiedPasswords } from '../../../../edge/security/verified-passwords';

const FAST = { N: 1_024, r: 8, p: 1 };
const pw = (text: string) => Buffer.from(text);

/** The real scrypt check, counting each key derivation. */
function countedScrypt() {
  const counted = { derivations: 0 };
  const check = (password: Buffer, stored: string) => {
    counted.derivations += 1;
    return verifyPassword(password, stored);
  };
  return { counted, check };
}

describe('VerifiedPasswords', () => {
  it('should check a password by scrypt once, then at once, and a wrong one by scrypt every time', async () => {
    // Arrange
    const { counted, check } = countedScrypt();
    const verified = new VerifiedPasswords(check);
    const stored = await hashPassword('right password', FAST);

    // Act / Assert
    expect(await verified.verify(pw('right password'), stored)).toBe(true);
    expect(await verified.verify(pw('right password'), stored)).toBe(true);
    expect(counted.derivations).toBe(1);
    expect(await verified.verify(pw('wrong password'), stored)).toBe(false);
    expect(await verified.verify(pw('wrong password'), stored)).toBe(false);
    expect(counted.derivations).toBe(3);
  });

  it('should not take a password checked against an old hash for a new one', async () => {
    // Arrange: the password rotated (a new hash, a new salt)
    const { counted, check } = countedScrypt();
    const verified = new VerifiedPasswords(check);
    const old = await hashPassword('old password', FAST);
    const rotated = await hashPassword('new password', FAST);
    await verified.verify(pw('old password'), old);

    // Act / Assert
    expect(await verified.verify(pw('old password'), rotated)).toBe(false);
    expect(await verified.verify(pw('new password'), rotated)).toBe(true);
    expect(counted.derivations).toBe(3);
  });

  it('should let a fleet with configured passwords in without scrypt once the start-up has checked them', async () => {
    // Arrange: 100 chargers' configured passwords, as the agent takes them at start (half already stored)
    const { counted, check } = countedScrypt();
    const verified = new VerifiedPasswords(check);
    const ids = Array.from({ length: 100 }, (_, i) => `CP-${i + 1}`);
    const storedBefore = new Map(
      await Promise.all(ids.slice(0, 50).map(async (id) => [id, await hashPassword(`pw-${id}`, FAST)] as const)),
    );
    const hashes = await chargerPasswordHashes(
      Object.fromEntries(ids.map((id) => [id, { password: `pw-${id}` }])),
      { passwordHash: (id) => storedBefore.get(id), dashboardPassword: () => undefined },
      verified,
    );

    // Act: every charger connects at once, as after a takeover
    const checks = await Promise.all(ids.map((id) => verified.verify(pw(`pw-${id}`), hashes.get(id)!)));

    // Assert
    expect(checks.every(Boolean)).toBe(true);
    expect(counted.derivations).toBe(0);
    expect(await verified.verify(pw('pw-CP-2'), hashes.get('CP-1')!)).toBe(false);
    expect(counted.derivations).toBe(1);
  });
});
