/** The signed-in bearer token, kept for the browser tab only (sessionStorage), and what it says about the user. */
import { z } from 'zod';

const KEY = 'ampshare.console.token';

const ClaimsSchema = z.looseObject({ sub: z.string().optional(), exp: z.number().optional() });
export type Claims = z.output<typeof ClaimsSchema>;

/** The token's claims, unverified (the API verifies): enough to show who is signed in and until when. */
export function readClaims(token: string): Claims | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const json: unknown = JSON.parse(atob(payload.replaceAll('-', '+').replaceAll('_', '/')));
    const parsed = ClaimsSchema.safeParse(json);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface SessionStore {
  token(): string | null;
  claims(): Claims | null;
  signIn(token: string): void;
  signOut(): void;
}

export function createSessionStore(storage: Storage, now: () => number): SessionStore {
  const token = () => {
    const value = storage.getItem(KEY);
    if (value === null) return null;
    const exp = readClaims(value)?.exp;
    return exp !== undefined && exp * 1000 <= now() ? null : value;
  };
  return {
    token,
    claims: () => {
      const value = token();
      return value === null ? null : readClaims(value);
    },
    signIn: (value) => storage.setItem(KEY, value),
    signOut: () => storage.removeItem(KEY),
  };
}
