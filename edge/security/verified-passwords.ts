/**
 * Password checks this process has already made, kept so that a charger's next connection costs no scrypt. Every
 * charger of a site reconnects within seconds of a takeover, and each scrypt check is about 30 ms of CPU on an idle
 * gateway (90 ms at a load of 10): 100 at once kept the handshakes waiting 5 to 8.5 s, past a charger's connect
 * timeout (docs/cluster.md, "Fixed: chargers' first retries after a takeover failed"). Kept per stored hash (a new
 * password has a new hash, with a new salt, so a rotated password is never taken from here): an HMAC of the password
 * under a key drawn at start that never leaves the process's memory, so nothing weaker than the scrypt hash is stored
 * or sent anywhere. A password that does not match goes through scrypt every time, as before.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { verifyPassword } from './password-hash';

/** One entry per stored hash; the site schema's most chargers, so a site never loses a check it made. */
const MAX_ENTRIES = 20_000;

export class VerifiedPasswords {
  private readonly key = randomBytes(32);
  private readonly byHash = new Map<string, Buffer>();

  constructor(
    /** The slow check (scrypt); a check it passes is remembered. */
    private readonly slowCheck: (password: Buffer, stored: string) => Promise<boolean> = verifyPassword,
  ) {}

  /** True when `password` matches the stored hash: at once when this process found so before, else by scrypt. */
  async verify(password: Buffer, stored: string): Promise<boolean> {
    const known = this.byHash.get(stored);
    if (known !== undefined && timingSafeEqual(known, this.digest(password))) return true;
    const valid = await this.slowCheck(password, stored);
    if (valid) this.remember(password, stored);
    return valid;
  }

  /** `password` is known to match `stored` (the configured password, checked or hashed at start). */
  remember(password: Buffer, stored: string): void {
    this.byHash.delete(stored);
    this.byHash.set(stored, this.digest(password));
    // The oldest entry goes first: hashes replaced by new passwords stop being asked for.
    if (this.byHash.size > MAX_ENTRIES) this.byHash.delete(this.byHash.keys().next().value as string);
  }

  private digest(password: Buffer): Buffer {
    return createHmac('sha256', this.key).update(password).digest();
  }
}
