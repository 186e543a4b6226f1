import { describe, expect, it } from 'vitest';
import { chargerPasswordHashes, type StoredChargerPasswords } from '../../../../edge/security/charger-password-hashes';
import { hashPassword, verifyPassword } from '../../../../edge/security/password-hash';

const FAST = { N: 1_024, r: 8, p: 1 };

/** What the registry holds per charger: its password hash, and the basis of a password set on the dashboard. */
function stored(hashes: Record<string, string>, dashboardBases: Record<string, string> = {}): StoredChargerPasswords {
  return {
    passwordHash: (chargerId) => hashes[chargerId],
    dashboardPassword: (chargerId) => (chargerId in dashboardBases ? { basis: dashboardBases[chargerId] } : undefined),
  };
}

describe('chargerPasswordHashes', () => {
  it('should take a configured hash as it is', async () => {
    // Act
    const hashes = await chargerPasswordHashes({ 'CP-1': { hash: 'scrypt$configured' } }, stored({}));

    // Assert
    expect(hashes).toEqual(new Map([['CP-1', 'scrypt$configured']]));
  });

  it('should keep a stored hash that still matches the configured password, and hash one that does not anew', async () => {
    // Arrange
    const matching = await hashPassword('same', FAST);
    const outdated = await hashPassword('old', FAST);

    // Act
    const hashes = await chargerPasswordHashes(
      { 'CP-1': { password: 'same' }, 'CP-2': { password: 'new' } },
      stored({ 'CP-1': matching, 'CP-2': outdated }),
    );

    // Assert
    expect(hashes.get('CP-1')).toBe(matching);
    expect(hashes.get('CP-2')).not.toBe(outdated);
    expect(await verifyPassword(Buffer.from('new'), hashes.get('CP-2')!)).toBe(true);
  });

  it('should leave a dashboard password in place while the file still holds the entry it replaced, and not once the file changed', async () => {
    // Arrange
    const replaced = await hashPassword('from-file', FAST);

    // Act
    const hashes = await chargerPasswordHashes(
      { 'CP-1': { password: 'from-file' }, 'CP-2': { hash: 'scrypt$edited' } },
      stored(
        { 'CP-1': 'scrypt$dashboard', 'CP-2': 'scrypt$dashboard' },
        { 'CP-1': replaced, 'CP-2': 'scrypt$before-edit' },
      ),
    );

    // Assert
    expect(hashes.has('CP-1')).toBe(false);
    expect(hashes.get('CP-2')).toBe('scrypt$edited');
  });
});
