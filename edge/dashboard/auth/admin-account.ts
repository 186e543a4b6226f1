/**
 * The dashboard's one admin account. There is no default password: either the configuration carries a hash, or the
 * agent hands out a one-time setup token at start (printed in its log) with which the installer sets the password.
 * Passwords are stored as scrypt hashes; the setup token only as a SHA-256 digest, and it dies once used.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { reasonedIssue } from '../../../shared/reasoned-issue';

export const ADMIN_USER = 'admin';

/** Where the hash lives (SQLite in the agent). */
export interface AdminPasswordStore {
  passwordHash(): string | undefined;
  setPasswordHash(hash: string, at: number): void;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

export interface AdminAccountDeps {
  readonly store: AdminPasswordStore;
  readonly hasher: PasswordHasher;
  /** `dashboard.adminPasswordHash` from the configuration; when set, it is the password and setup is off. */
  readonly configuredHash: string | undefined;
  readonly now: () => number;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

export class AdminAccount {
  private setupDigest: Buffer | undefined;

  constructor(private readonly deps: AdminAccountDeps) {}

  /** True until a password exists (configured or set through the setup link). */
  get needsSetup(): boolean {
    return this.passwordHash() === undefined;
  }

  /** A fresh one-time setup token (any earlier one stops working), or undefined when a password already exists. */
  issueSetupToken(): string | undefined {
    if (!this.needsSetup) return undefined;
    const token = randomBytes(24).toString('base64url');
    this.setupDigest = digest(token);
    return token;
  }

  /** Sets the first password with the setup token; the token cannot be used again. */
  async completeSetup(token: string, password: string): Promise<void> {
    const expected = this.setupDigest;
    const given = digest(token);
    if (!this.needsSetup || expected === undefined || !timingSafeEqual(expected, given)) {
      throw new AppError(
        'auth.forbidden',
        'this setup link is not valid (already used, or the agent restarted): use the link in the agent log',
      );
    }
    this.setupDigest = undefined;
    this.deps.store.setPasswordHash(await this.deps.hasher.hash(password), this.deps.now());
  }

  /** True when `username` and `password` are the admin's. */
  async verify(username: string, password: string): Promise<boolean> {
    const hash = this.passwordHash();
    if (hash === undefined) return false;
    const matches = await this.deps.hasher.verify(password, hash);
    return matches && username === ADMIN_USER;
  }

  /** Changes the password after checking the current one. A configured hash cannot be changed here. */
  async changePassword(current: string, next: string): Promise<void> {
    if (this.deps.configuredHash !== undefined)
      throw new AppError(
        'resource.conflict',
        'the admin password is set in the configuration file (dashboard.adminPasswordHash); change it there',
      );
    if (!(await this.verify(ADMIN_USER, current)))
      throw AppError.because('auth.forbidden', 'account.currentPasswordWrong', undefined, [
        reasonedIssue('currentPassword', { reason: 'account.wrongPassword' }),
      ]);
    this.deps.store.setPasswordHash(await this.deps.hasher.hash(next), this.deps.now());
  }

  private passwordHash(): string | undefined {
    return this.deps.configuredHash ?? this.deps.store.passwordHash();
  }
}
