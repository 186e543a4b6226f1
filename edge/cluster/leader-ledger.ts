/**
 * The replicated ledger: keys under the site's prefix in etcd, where every write is one etcd transaction that
 * succeeds only while the writer's candidate key still has the create revision of its term. A deposed leader's write
 * (its key gone with its lease, another key now the oldest) is refused by etcd itself, whatever the old leader's clock
 * says, and the old leader fences itself on the refusal. Reads are etcd's default, linearizable ones.
 */
import { type Etcd3, Range } from 'etcd3';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { Leadership, LeaderTerm } from './leadership';

/** Ledger keys: short paths of plain characters under the site's prefix. */
const LEDGER_KEY = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+(\/[A-Za-z0-9._:-]+)*$/, 'a ledger key is a /-separated path of letters, digits and ._:-');

/** etcd's own request limit is 1.5 MiB; ledger values are records, far smaller. */
export const MAX_LEDGER_VALUE_BYTES = 64 * 1024;

/** Keys per etcd transaction: below etcd's default `--max-txn-ops` (128) with the term's compare. */
export const LEDGER_OPS_PER_WRITE = 96;

/** Keys per read of a folder: its records are a few hundred bytes, so a page stays far below gRPC's 4 MiB. */
export const LIST_PAGE_KEYS = 1_000;

/** A key under the site's prefix and its value. */
export interface LedgerRecord {
  readonly key: string;
  readonly value: string;
}

/** A value read from the ledger with the revision it was last written at (for compare-and-set). */
export interface LedgerEntry {
  readonly value: string;
  readonly modRevision: string;
}

export class LeaderLedger {
  constructor(
    private readonly client: Etcd3,
    private readonly leadership: Leadership,
    /** The site's prefix, e.g. `ampshare/site-1/ledger/`. */
    private readonly prefix: string,
  ) {}

  /** The entry at `key`, or undefined when there is none. */
  async get(key: string): Promise<LedgerEntry | undefined> {
    const result = await this.client.get(this.fullKey(key)).exec();
    const kv = result.kvs[0];
    return kv === undefined ? undefined : { value: kv.value.toString(), modRevision: kv.mod_revision };
  }

  /**
   * The entries under `folder` (a key path, without its trailing `/`), by key, at most `limit` of them; throws when
   * there are more (a caller reading a bounded set must not act on part of it). Read in pages of `LIST_PAGE_KEYS`, all
   * at the first page's revision (one snapshot): one etcd answer may carry at most 4 MiB (gRPC's default), and 20,000
   * transaction records are about 7 MB.
   */
  async list(folder: string, limit: number): Promise<{ readonly key: string; readonly value: string }[]> {
    const { entries, more } = await this.first(folder, limit);
    if (more) throw new AppError('state.invalid', `the ledger holds more than ${limit} entries under ${folder}`);
    return entries;
  }

  /** The first `limit` entries under `folder` in key order (read as `list`), and whether the folder holds more. */
  async first(folder: string, limit: number): Promise<{ readonly entries: LedgerRecord[]; readonly more: boolean }> {
    const range = Range.prefix(`${this.fullKey(folder)}/`);
    const entries: LedgerRecord[] = [];
    let start = range.start;
    let revision: string | undefined;
    for (;;) {
      const page = this.client
        .getAll()
        .inRange({ start, end: range.end })
        .limit(Math.min(LIST_PAGE_KEYS, limit + 1 - entries.length));
      if (revision !== undefined) page.revision(revision);
      const result = await page.exec();
      revision ??= result.header.revision;
      for (const kv of result.kvs)
        entries.push({ key: kv.key.toString().slice(this.prefix.length), value: kv.value.toString() });
      if (entries.length > limit) return { entries: entries.slice(0, limit), more: true };
      const last = result.kvs.at(-1);
      if (!result.more || last === undefined) return { entries, more: false };
      // The next key after the last one read.
      start = Buffer.concat([last.key, Buffer.from([0])]);
    }
  }

  /** Writes `value` at `key` in this node's term; throws (and fences) when the node does not lead. */
  async put(key: string, value: string): Promise<void> {
    await this.putAll([{ key, value }]);
  }

  /**
   * Writes every entry and deletes every key of `deletes` (a key, or every key from `from` up to but not including `to`)
   * in one etcd transaction in this node's term: all or none; throws (and fences) as `put`.
   */
  async putAll(
    entries: readonly { readonly key: string; readonly value: string }[],
    deletes: readonly (string | { readonly from: string; readonly to: string })[] = [],
  ): Promise<void> {
    const puts = entries.map(({ key, value }) => {
      if (Buffer.byteLength(value) > MAX_LEDGER_VALUE_BYTES)
        throw new AppError('message.tooLarge', `a ledger value is at most ${MAX_LEDGER_VALUE_BYTES} bytes`);
      return this.client.put(this.fullKey(key)).value(value);
    });
    const removals = deletes.map((key) =>
      typeof key === 'string'
        ? this.client.delete().key(this.fullKey(key))
        : this.client.delete().inRange({ start: this.fullKey(key.from), end: this.fullKey(key.to) }),
    );
    const term = this.leadership.assertLeading();
    const result = await this.client
      .if(term.key, 'Create', '==', term.term)
      .then(...puts, ...removals)
      .else(this.client.get(term.key))
      .commit();
    if (!result.succeeded) this.refused(term);
  }

  /** Deletes `key` in this node's term; throws (and fences) when the node does not lead. */
  async delete(key: string): Promise<void> {
    await this.write(key, undefined, 'any');
  }

  /**
   * Writes `value` at `key` only if the key is as `expected` (undefined: absent); false when it changed meanwhile.
   * Throws (and fences) when the node does not lead.
   */
  async replace(key: string, value: string, expected: LedgerEntry | undefined): Promise<boolean> {
    return this.write(key, value, expected ?? 'absent');
  }

  private async write(
    key: string,
    value: string | undefined,
    expected: LedgerEntry | 'absent' | 'any',
  ): Promise<boolean> {
    const fullKey = this.fullKey(key);
    if (value !== undefined && Buffer.byteLength(value) > MAX_LEDGER_VALUE_BYTES) {
      throw new AppError('message.tooLarge', `a ledger value is at most ${MAX_LEDGER_VALUE_BYTES} bytes`);
    }
    const term = this.leadership.assertLeading();
    const txn = this.client.if(term.key, 'Create', '==', term.term);
    if (expected === 'absent') txn.and(fullKey, 'Create', '==', 0);
    else if (expected !== 'any') txn.and(fullKey, 'Mod', '==', expected.modRevision);
    const operation = value === undefined ? this.client.delete().key(fullKey) : this.client.put(fullKey).value(value);
    const result = await txn.then(operation).else(this.client.get(term.key)).commit();
    if (result.succeeded) return true;
    if (result.responses[0]?.response_range?.kvs[0]?.create_revision !== term.term) this.refused(term);
    return false;
  }

  /** etcd refused a write conditional on `term`: another node leads. */
  private refused(term: LeaderTerm): never {
    this.leadership.deposed(term);
    throw new AppError('resource.conflict', `etcd refused the write: term ${term.term} no longer leads the cluster`);
  }

  private fullKey(key: string): string {
    const parsed = LEDGER_KEY.safeParse(key);
    if (!parsed.success) throw new AppError('message.invalid', `bad ledger key: ${parsed.error.issues[0]?.message}`);
    return this.prefix + parsed.data;
  }
}
