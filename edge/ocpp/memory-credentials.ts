/** ChargerCredentials kept in memory as scrypt hashes: for tests and the demo; the store persists the same hashes. */
import type { ChargerCredentials, CredentialCheck } from './central-system-ports';
import { hashPassword, verifyPassword } from '../security/password-hash';

export class MemoryChargerCredentials implements ChargerCredentials {
  private readonly hashes = new Map<string, string>();

  /** Stores the hash of a charger's password (never the password itself). */
  async set(chargerId: string, password: string): Promise<void> {
    this.hashes.set(chargerId, await hashPassword(password));
  }

  async verify(chargerId: string, password: Buffer | undefined): Promise<CredentialCheck> {
    const stored = this.hashes.get(chargerId);
    if (stored === undefined) return 'unknown';
    if (password === undefined) return 'invalid';
    return (await verifyPassword(password, stored)) ? 'valid' : 'invalid';
  }
}
