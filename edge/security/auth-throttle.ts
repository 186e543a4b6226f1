/**
 * Back-off and lockout after failed sign-ins, per identity and per source address: the one mechanism behind the
 * dashboard's sign-in and the chargers' Basic auth. A key (an identity, or an address) may fail `freeFailures` times
 * in a row; each further failure locks it for a delay that doubles up to a cap, and while either key of an attempt is
 * locked the attempt is refused before its password is even checked (the right password included). An attempt counts
 * against its identity from the moment it begins, so parallel guesses cannot slip past the limit while their hashes are
 * being checked; against its address only once that address has failed (many chargers share one address).
 * A success forgets both keys. Memory is bounded: past `maxKeys`, the least recently failed keys are forgotten.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface ThrottleSettings {
  /** Failures in a row a key may have; the next one starts a lockout. */
  readonly freeFailures: number;
  /** The first lockout; each further failure doubles it, up to `maxLockoutSeconds`. */
  readonly firstLockoutSeconds: number;
  /** The longest lockout; a key quiet this long after its last failure (or lockout) ends starts afresh. */
  readonly maxLockoutSeconds: number;
}

export interface AttemptKeys {
  /** Who the attempt claims to be: a user name, a charge point identity. */
  readonly identity: string;
  /** Where it comes from; undefined when unknown (in-process tests). */
  readonly address: string | undefined;
}

export type KeyKind = 'identity' | 'address';

/** The sign-ins that are throttled: the dashboard's, and the chargers' Basic auth. */
export type ThrottleBoundary = 'dashboard' | 'ocpp';

/** A lockout that has just started: what the event log, the agent log and the cloud hear. */
export interface Lockout {
  /** Which sign-in. */
  readonly boundary: ThrottleBoundary;
  readonly kind: KeyKind;
  readonly key: string;
  /** Failures in a row so far. */
  readonly failures: number;
  readonly lockedForMs: number;
  readonly at: number;
}

/** An attempt that may go on; exactly one of its outcomes must follow. */
export interface Attempt {
  readonly allowed: true;
  failed(): void;
  succeeded(): void;
  /** No password was judged after all (the request failed before): the attempt counts neither way. */
  abandoned(): void;
}

export interface Refusal {
  readonly allowed: false;
  readonly retryAfterMs: number;
  readonly lockedBy: KeyKind;
}

export interface ThrottleDeps {
  now(): number;
  /** Called once per lockout start; must not throw. */
  onLockout(lockout: Lockout): void;
  /** How many keys are remembered at most (identities and addresses together). */
  readonly maxKeys?: number;
}

interface Entry {
  failures: number;
  /** Attempts begun and not yet judged. */
  pending: number;
  lockedUntil: number;
  lastFailureAt: number;
}

const DEFAULT_MAX_KEYS = 10_000;
/** Identities are attacker-chosen: only this much of one is kept. */
const MAX_IDENTITY_CHARS = 64;

/**
 * The key an address is throttled under: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64, which is what one
 * host or one LAN gets (keying single IPv6 addresses would let one machine try from 2^64 of them).
 */
export function addressKey(address: string): string {
  const bare = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (isIPv4(bare) || !isIPv6(bare)) return bare;
  const [head = '', tail = ''] = bare.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = bare.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class AuthThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly maxKeys: number;

  constructor(
    private readonly boundary: ThrottleBoundary,
    private readonly settings: ThrottleSettings,
    private readonly deps: ThrottleDeps,
  ) {
    this.maxKeys = deps.maxKeys ?? DEFAULT_MAX_KEYS;
  }

  /** How many keys are remembered now. */
  get trackedKeys(): number {
    return this.entries.size;
  }

  /** Why an attempt with these keys would be refused now, if it would; counts nothing (a check before the costly work). */
  check(keys: AttemptKeys): Refusal | undefined {
    const now = this.deps.now();
    for (const [kind, key] of this.keysOf(keys)) {
      const entry = this.fresh(key, now);
      if (entry === undefined) continue;
      if (entry.lockedUntil > now) return { allowed: false, retryAfterMs: entry.lockedUntil - now, lockedBy: kind };
      // In-flight attempts count against an identity's free failures (one charger or person signs in once at a time),
      // but against an address only once it has failed: a site's chargers behind one address reconnect all at once.
      const counted = kind === 'identity' ? entry.pending : entry.failures > 0 ? entry.pending : 0;
      if (counted > 0 && entry.failures + counted >= this.settings.freeFailures) {
        return { allowed: false, retryAfterMs: this.settings.firstLockoutSeconds * 1000, lockedBy: kind };
      }
    }
    return undefined;
  }

  /** Begins an attempt, or refuses it while one of its keys is locked (or its free failures are all in flight). */
  begin(keys: AttemptKeys): Attempt | Refusal {
    const refusal = this.check(keys);
    if (refusal !== undefined) return refusal;
    const named = this.keysOf(keys);
    const entries = named.map(([kind, key]) => ({ kind, key, entry: this.touch(key) }));
    for (const { entry } of entries) entry.pending++;
    let judged = false;
    const judge = (outcome: () => void) => {
      if (judged) return;
      judged = true;
      for (const { entry } of entries) entry.pending--;
      outcome();
    };
    return {
      allowed: true,
      failed: () => judge(() => entries.forEach(({ kind, key, entry }) => this.fail(kind, key, entry))),
      succeeded: () => judge(() => entries.forEach(({ key, entry }) => this.forget(key, entry))),
      abandoned: () => judge(() => undefined),
    };
  }

  private fail(kind: KeyKind, key: string, entry: Entry): void {
    const at = this.deps.now();
    entry.failures++;
    entry.lastFailureAt = at;
    this.entries.delete(key);
    this.entries.set(key, entry);
    const over = entry.failures - this.settings.freeFailures;
    if (over < 0) return;
    const lockedForMs = Math.min(
      this.settings.maxLockoutSeconds * 1000,
      this.settings.firstLockoutSeconds * 1000 * 2 ** Math.min(over, 40),
    );
    entry.lockedUntil = at + lockedForMs;
    this.deps.onLockout({
      boundary: this.boundary,
      kind,
      key: key.slice(2),
      failures: entry.failures,
      lockedForMs,
      at,
    });
  }

  private forget(key: string, entry: Entry): void {
    entry.failures = 0;
    entry.lockedUntil = 0;
    if (entry.pending === 0) this.entries.delete(key);
  }

  private keysOf(keys: AttemptKeys): [KeyKind, string][] {
    const named: [KeyKind, string][] = [['identity', `i:${keys.identity.slice(0, MAX_IDENTITY_CHARS)}`]];
    if (keys.address !== undefined) named.push(['address', `a:${addressKey(keys.address)}`]);
    return named;
  }

  /** The key's entry, unless it has gone quiet long enough to be forgotten. */
  private fresh(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const quiet =
      entry.pending === 0 &&
      now - Math.max(entry.lockedUntil, entry.lastFailureAt) >= this.settings.maxLockoutSeconds * 1000;
    if (!quiet) return entry;
    this.entries.delete(key);
    return undefined;
  }

  /** The key's entry, made the most recent; the least recent ones without attempts in flight make room. */
  private touch(key: string): Entry {
    const entry = this.entries.get(key) ?? { failures: 0, pending: 0, lockedUntil: 0, lastFailureAt: this.deps.now() };
    this.entries.delete(key);
    for (const [oldKey, old] of this.entries) {
      if (this.entries.size < this.maxKeys) break;
      if (old.pending === 0) this.entries.delete(oldKey);
    }
    this.entries.set(key, entry);
    return entry;
  }
}
