/**
 * The hash to keep for each configured charger password at start-up: a stored hash that still matches its clear-text
 * password is kept (no new salt at every start), and a password set on the dashboard stays while the configured entry
 * is still the one it replaced (editing the file wins).
 */
import type { ChargerPassword } from '../config/edge-config-schema';
import { hashPassword, verifyPassword } from './password-hash';
import type { VerifiedPasswords } from './verified-passwords';

/** What is stored per charger (the charger registry). */
export interface StoredChargerPasswords {
  passwordHash(chargerId: string): string | undefined;
  /** The password set on the dashboard, with the hash of the configured entry it replaced. */
  dashboardPassword(chargerId: string): { readonly basis: string | undefined } | undefined;
}

/**
 * Hashes of every configured password, by charger; a charger whose dashboard password stays has none. Each clear-text
 * password is told to `verified` with its hash, so the charger's connections cost no scrypt (a standby's included: it
 * has checked or hashed the same configuration at its own start).
 */
export async function chargerPasswordHashes(
  configured: Readonly<Record<string, ChargerPassword>>,
  stored: StoredChargerPasswords,
  verified?: Pick<VerifiedPasswords, 'remember'>,
): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const [chargerId, entry] of Object.entries(configured)) {
    const basis = stored.dashboardPassword(chargerId)?.basis;
    if (basis !== undefined && (await configuredAs(entry, basis))) continue;
    if ('hash' in entry) {
      hashes.set(chargerId, entry.hash);
      continue;
    }
    const hash = stored.passwordHash(chargerId);
    const keep = hash !== undefined && (await verifyPassword(Buffer.from(entry.password), hash));
    const kept = keep ? hash : await hashPassword(entry.password);
    hashes.set(chargerId, kept);
    verified?.remember(Buffer.from(entry.password), kept);
  }
  return hashes;
}

/** True when the configured password is the one stored as `hash`. */
async function configuredAs(entry: ChargerPassword, hash: string): Promise<boolean> {
  return 'hash' in entry ? entry.hash === hash : verifyPassword(Buffer.from(entry.password), hash);
}
