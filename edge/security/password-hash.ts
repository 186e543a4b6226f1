/** Passwords (chargers', the dashboard admin's) stored as scrypt hashes (`scrypt$N$r$p$salt$hash`, base64), checked in constant time. */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_BYTES = 32;
/** scrypt cost: about 30 ms per check, paid once per charger connection. */
const DEFAULT_COST: Required<Pick<ScryptOptions, 'N' | 'r' | 'p'>> = { N: 16_384, r: 8, p: 1 };

function derive(password: Buffer, salt: Buffer, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, { ...cost, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a password for storage. */
export async function hashPassword(password: string | Buffer, cost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(Buffer.from(password), salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches a stored hash; a malformed hash never matches. */
export async function verifyPassword(password: Buffer, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The two as the dashboard's sign-in takes them (passwords as text). */
export const passwordHasher = {
  hash: (password: string): Promise<string> => hashPassword(password),
  verify: (password: string, hash: string): Promise<boolean> => verifyPassword(Buffer.from(password), hash),
};
