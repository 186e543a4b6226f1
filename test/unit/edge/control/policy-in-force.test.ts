import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicySchema, type Policy } from '../../../../shared/policy/policy-schema';
import { SiteSchema } from '../../../../shared/site/site-schema';
import {
  PolicyInForce,
  canonicalJson,
  resumedPolicy,
  samePolicy,
  type PolicyInForceStore,
} from '../../../../edge/control/policy-in-force';
import { SqliteControlStateStore } from '../../../../edge/store/control-state-store';
import { openStoreDatabase, type StoreDatabase } from '../../../../edge/store/store-database';

const site = SiteSchema.parse({
  $schemaVersion: 1,
  id: 's',
  circuits: [{ id: 'grid', parent: null, fuseAmps: 63 }],
  chargers: [{ id: 'CP-1', circuit: 'grid', phases: 3, maxAmps: 32 }],
});
const budget = (amps: number): Policy =>
  PolicySchema.parse({ $schemaVersion: 1, budget: { unit: 'A', min: 0, max: amps } });
const configured = budget(32);
const quiet = { warn: () => {} };

describe('samePolicy', () => {
  it('should treat policies that differ only in key order as the same', () => {
    const reordered = JSON.parse(canonicalJson(configured)) as unknown;
    expect(Object.keys(reordered as object)).not.toEqual(Object.keys(configured));
    expect(samePolicy(reordered, configured)).toBe(true);
  });

  it.each([
    ['another budget', budget(20)],
    ['a nested change', { ...configured, vip: { ...configured.vip, enabled: !configured.vip.enabled } }],
    ['nothing', undefined],
  ])('should tell a policy from %s', (_what, other) => {
    expect(samePolicy(other, configured)).toBe(false);
  });
});

describe('resumedPolicy', () => {
  const stored = (source: 'config' | 'local' | 'cloud', version: number, basis: unknown) => ({
    record: { policy: budget(20), source, version, appliedAt: 5 },
    basis,
  });

  it.each([
    ['nothing stored', undefined, { policy: configured, source: 'config', version: 0, appliedAt: 9 }],
    [
      'a local edit of this site file',
      stored('local', 2, configured),
      { policy: budget(20), source: 'local', version: 2, appliedAt: 5 },
    ],
    [
      'a cloud version over this site file',
      stored('cloud', 4, JSON.parse(canonicalJson(configured))),
      { policy: budget(20), source: 'cloud', version: 4, appliedAt: 5 },
    ],
    [
      'a cloud version over an older site file (the file wins, the version stays)',
      stored('cloud', 4, budget(40)),
      { policy: configured, source: 'config', version: 4, appliedAt: 9 },
    ],
  ])('should resume from %s', (_what, from, expected) => {
    expect(resumedPolicy(from, configured, 9)).toEqual(expected);
  });
});

describe('PolicyInForce', () => {
  let dir: string;
  let db: StoreDatabase;
  let now: number;
  let set: Policy[];
  const clock = { now: () => now, after: () => () => {} };
  const start = () => {
    const store = new SqliteControlStateStore(db).policyInForce;
    return new PolicyInForce(
      { store, target: { setPolicy: (p) => set.push(p) }, site, configured, clock, log: quiet },
      PolicyInForce.resume(store, configured, now),
    );
  };
  const restart = (file: Policy = configured) => {
    db.close();
    db = openStoreDatabase(dir);
    const store = new SqliteControlStateStore(db).policyInForce;
    return new PolicyInForce(
      { store, target: { setPolicy: (p) => set.push(p) }, site, configured: file, clock, log: quiet },
      PolicyInForce.resume(store, file, now),
    );
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-policy-'));
    db = openStoreDatabase(dir);
    now = 1_000;
    set = [];
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should put another master's policy in force with its origin as it was, resumed after a restart", () => {
    // Arrange
    const replicated: unknown[] = [];
    const store = new SqliteControlStateStore(db).policyInForce;
    const inForce = new PolicyInForce(
      {
        store,
        target: { setPolicy: (p) => set.push(p) },
        site,
        configured,
        clock,
        log: quiet,
        replicate: (r) => replicated.push(r),
      },
      PolicyInForce.resume(store, configured, now),
    );
    const recorded = { policy: budget(20), source: 'local', version: 3, appliedAt: 500 } as const;

    // Act
    const change = inForce.adopt(recorded);
    now = 2_000;

    // Assert: in force and stored, not sent back to the ledger it came from; a later edit is
    expect(change).toEqual({ ok: true });
    expect(set).toEqual([budget(20)]);
    expect(restart().current()).toEqual(recorded);
    expect(replicated).toEqual([]);
    inForce.apply(budget(16), { version: 3, source: 'local' });
    expect(replicated).toEqual([{ policy: budget(16), source: 'local', version: 3, appliedAt: 2_000 }]);
  });

  it('should start from the site file, version 0, when nothing was ever applied', () => {
    const inForce = start();
    expect(inForce.current()).toEqual({ policy: configured, source: 'config', version: 0, appliedAt: 1_000 });
  });

  it('should put a policy in force with its source, version and time, and resume it after a restart', () => {
    start().apply(budget(20), { version: 3, source: 'cloud' });
    now = 2_000;
    const edited = restart();
    expect(set).toEqual([budget(20)]);
    expect(edited.current()).toEqual({ policy: budget(20), source: 'cloud', version: 3, appliedAt: 1_000 });
    edited.apply(budget(16), { version: 3, source: 'local' });
    expect(restart().origin()).toEqual({ source: 'local', version: 3, appliedAt: 2_000 });
  });

  it('should let an edited site file win over a stored edit, keeping the cloud version last seen', () => {
    start().apply(budget(20), { version: 5, source: 'cloud' });
    expect(restart(budget(40)).current()).toMatchObject({ policy: budget(40), source: 'config', version: 5 });
  });

  it('should refuse a policy naming a connector the site does not have, with its path, and keep the one in force', () => {
    const inForce = start();
    const policy = PolicySchema.parse({
      $schemaVersion: 1,
      distribution: 'priority',
      budget: { unit: 'A', min: 0, max: 50 },
      priorityLevels: [{ level: 1, connectors: ['CP-9/1'] }],
    });
    expect(inForce.apply(policy, { version: 2, source: 'cloud' })).toEqual({
      ok: false,
      issues: [
        {
          path: 'priorityLevels[0].connectors[0]',
          message: 'connector "CP-9/1" is not part of this site',
          reason: 'policy.unknownConnector',
          params: { connector: 'CP-9/1' },
        },
      ],
    });
    expect(set).toHaveLength(0);
    expect(inForce.current()).toMatchObject({ policy: configured, source: 'config' });
  });

  it('should keep a policy in force when the disk does not take the record', () => {
    const failing: PolicyInForceStore = {
      loadPolicyInForce: () => undefined,
      savePolicyInForce: () => {
        throw new Error('SQLITE_FULL');
      },
    };
    const warnings: string[] = [];
    const inForce = new PolicyInForce(
      {
        store: failing,
        target: { setPolicy: (p) => set.push(p) },
        site,
        configured,
        clock,
        log: { warn: (_d, m) => warnings.push(m) },
      },
      resumedPolicy(undefined, configured, now),
    );
    expect(inForce.apply(budget(20), { version: 0, source: 'local' })).toEqual({ ok: true });
    expect(inForce.inForce()).toEqual(budget(20));
    expect(set).toEqual([budget(20)]);
    expect(warnings).toHaveLength(1);
  });
});
