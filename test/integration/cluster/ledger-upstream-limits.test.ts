/**
 * The CSMS's own limits through the ledger (edge/cluster/ledger-upstream-limits.ts) on a real etcd with real leaders:
 * each node's CsmsLimits on its own SQLite, its replica the ledger in its term. A change is in etcd once the CSMS
 * would hear Accepted; a clear and a transaction's end delete it; a refused write answers nothing Accepted and keeps
 * nothing; a new master replaces its own copy (memory and SQLite) with the ledger's; a site's first master copies its own.
 */
import { describe, expect, it } from 'vitest';
import { takeLimitsFromLedger, UpstreamLimitsLedger } from '../../../edge/cluster/ledger-upstream-limits';
import { LIMITS_FOLDER, LIMITS_KEPT_KEY } from '../../../edge/cluster/ledger-upstream-keys';
import type { StoreDatabase } from '../../../edge/store/store-database';
import { SqliteUpstreamCsmsProfileStore } from '../../../edge/store/upstream-csms-profiles-store';
import { CsmsLimits } from '../../../edge/upstream/csms-limits';
import { setProfile, T0, txProfile } from '../../unit/edge/upstream/csms-profiles';
import { ledgerLab } from './support/ledger-lab';
import { type NodeSettings, type RecordedNode, siteSettings } from './support/recorded-node';

const SETTINGS = { nominalVolts: 230, maxProfilesPerCharger: 8 };
const TX = 41;
const quiet = { error: () => undefined };

/** A node: a leadership on the real etcd, its CsmsLimits on its own SQLite with the ledger as replica. */
interface LimitsNode {
  readonly node: RecordedNode;
  readonly replica: UpstreamLimitsLedger;
  readonly limits: CsmsLimits;
  readonly db: StoreDatabase;
}

describe("the CSMS's limits through the ledger", () => {
  const lab = ledgerLab();

  function limitsNode(nodeId: string, settings: NodeSettings): LimitsNode {
    const db = lab.database(`limits-${nodeId}`);
    // The replica needs the node's ledger, and hears of the node's fences as MasterRole tells it.
    const told: { replica?: UpstreamLimitsLedger } = {};
    const node = lab.node(nodeId, settings, {
      elected: () => undefined,
      fenced: () => told.replica?.fenced(),
    });
    const replica = new UpstreamLimitsLedger(node.ledger, quiet);
    told.replica = replica;
    const limits = new CsmsLimits(SETTINGS, new SqliteUpstreamCsmsProfileStore(db), replica);
    limits.transactionStarted('CP-1', 1, { transactionId: TX, startedAt: T0 });
    return { node, replica, limits, db };
  }

  /** Elected, the node takes the ledger's limits as MasterDuties.prepare does. */
  async function elected({ node, replica, limits }: LimitsNode, times = 1) {
    if (times === 1) node.leadership.start();
    await node.electedTimes(times, 15_000);
    const term = node.terms.at(-1);
    if (term === undefined) throw new Error('no term');
    return takeLimitsFromLedger(node.ledger, term, limits, replica, quiet);
  }

  /** The ledger's `upstream-limits/` records, as another node reads them. */
  async function ledgerLimits(node: RecordedNode): Promise<Record<string, unknown>> {
    const { entries } = await node.ledger.first(LIMITS_FOLDER, 1_000);
    return Object.fromEntries(entries.map(({ key, value }) => [key, JSON.parse(value)]));
  }

  const ceiling = (limits: CsmsLimits, chargerId = 'CP-1') =>
    limits.lowestDuring(chargerId, { connectorId: 1, phases: 3 }, T0 + 60_000, T0 + 120_000)?.amps;

  it('should have a profile in the ledger once the CSMS would hear Accepted, and delete it with a clear and the transaction’s end', async () => {
    // Arrange: gw-a leads, the site's first master (nothing in the ledger)
    const a = limitsNode('gw-a', siteSettings(lab.endpoints, 6));
    const first = await elected(a);
    const txDefault = setProfile({ id: 1, periods: [[0, 16]] });
    const tx = txProfile(TX, 10);

    // Act: the CSMS sets a TxDefaultProfile and the transaction's TxProfile; the ledger read as each answer comes
    const setAnswers = [
      await a.limits.record('CP-1', 'SetChargingProfile', txDefault),
      await ledgerLimits(a.node),
      await a.limits.record('CP-1', 'SetChargingProfile', tx),
      await ledgerLimits(a.node),
    ];
    a.limits.transactionEnded('CP-1', 1);
    // A clear of nothing waits, as every change of the charger, for the end's copy to be written first.
    const afterEnd = [await a.limits.record('CP-1', 'ClearChargingProfile', { id: 99 }), await ledgerLimits(a.node)];
    const clear = await a.limits.record('CP-1', 'ClearChargingProfile', { id: 1 });

    // Assert: each profile there before its Accepted, in the charger's order; the end and the clear deleted them
    expect(first).toMatchObject({ copiedOwn: true, profiles: 0 });
    expect(setAnswers).toEqual([
      'Accepted',
      { 'upstream-limits/CP-1/000': txDefault },
      'Accepted',
      { 'upstream-limits/CP-1/000': txDefault, 'upstream-limits/CP-1/001': tx },
    ]);
    expect(afterEnd).toEqual(['Unknown', { 'upstream-limits/CP-1/000': txDefault }]);
    expect(clear).toBe('Accepted');
    expect(await ledgerLimits(a.node)).toEqual({});
    expect((await a.node.ledger.get(LIMITS_KEPT_KEY))?.value).toBe(a.node.terms[0]?.term);
  }, 30_000);

  it("should copy a remote start's profile to the ledger as its transaction starts", async () => {
    // Arrange: gw-a leads; the CSMS's RemoteStartTransaction on connector 2 carried a 10 A TxProfile
    const a = limitsNode('gw-a', siteSettings(lab.endpoints, 6));
    await elected(a);
    const profile = txProfile(TX + 1, 10).csChargingProfiles;
    a.limits.remoteStart('CP-1', 2, profile);

    // Act: the transaction starts on connector 2; the next change of the charger waits for its copy
    a.limits.transactionStarted('CP-1', 2, { transactionId: TX + 1, startedAt: T0 });
    await a.limits.record('CP-1', 'ClearChargingProfile', { id: 99 });

    // Assert: the ledger holds it as the transaction's TxProfile
    expect(await ledgerLimits(a.node)).toEqual({
      'upstream-limits/CP-1/000': { connectorId: 2, csChargingProfiles: profile },
    });
  }, 30_000);

  it('should answer no Accepted and keep nothing, in memory or SQLite, when etcd refuses the write (and fence)', async () => {
    // Arrange: gw-a leads with a 16 A profile; its lease is then revoked at etcd (it does not know yet)
    const settings = siteSettings(lab.endpoints, 6);
    const a = limitsNode('gw-a', settings);
    await elected(a);
    await a.limits.record('CP-1', 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 16]] }));
    await a.node.client.leaseClient.leaseRevoke({ ID: a.node.terms[0]?.key.split('/').pop() ?? '' });

    // Act: the CSMS lowers it to 6 A
    const answer = await a.limits
      .record('CP-1', 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 6]] }))
      .catch((error: unknown) => error);

    // Assert: refused, the node fenced, and the 16 A profile still the one in force and stored
    expect(answer).toBeInstanceOf(Error);
    await a.node.fencedTimes(1, 5_000);
    expect(ceiling(a.limits)).toBe(16);
    expect(new SqliteUpstreamCsmsProfileStore(a.db).load().get('CP-1')).toEqual([
      setProfile({ id: 1, periods: [[0, 16]] }),
    ]);
  }, 30_000);

  it("should replace a new master's own limits, in memory and in SQLite, with the ledger's", async () => {
    // Arrange: gw-b holds stale limits of its own (CP-1 at 20 A, CP-2 at 8 A); gw-a leads and the CSMS sets CP-1 to
    // 12 A, the running transaction to 10 A, and CP-3 to 6 A; then gw-a stops
    const settings = siteSettings(lab.endpoints, 2);
    const b = limitsNode('gw-b', settings);
    const stale = new CsmsLimits(SETTINGS, new SqliteUpstreamCsmsProfileStore(b.db));
    await stale.record('CP-1', 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 20]] }));
    await stale.record('CP-2', 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 8]] }));
    b.limits.resume([]);
    const a = limitsNode('gw-a', settings);
    await elected(a);
    await a.limits.record('CP-1', 'SetChargingProfile', setProfile({ id: 1, periods: [[0, 12]] }));
    await a.limits.record('CP-1', 'SetChargingProfile', txProfile(TX, 10));
    await a.limits.record('CP-3', 'SetChargingProfile', setProfile({ id: 4, periods: [[0, 6]] }));
    b.node.leadership.start();
    await a.node.close();
    lab.forget(a.node);

    // Act: gw-b elected takes the ledger's limits
    const took = await elected(b);

    // Assert: gw-b caps as gw-a did (the TxProfile too, its transaction runs here), CP-2's stale limit gone, and its
    // SQLite holds the same
    expect(took).toMatchObject({ copiedOwn: false, chargers: 2, profiles: 3, dropped: 0, refused: 0 });
    expect([ceiling(b.limits), ceiling(b.limits, 'CP-2'), ceiling(b.limits, 'CP-3')]).toEqual([10, undefined, 6]);
    expect(Object.fromEntries(new SqliteUpstreamCsmsProfileStore(b.db).load())).toEqual({
      'CP-1': [setProfile({ id: 1, periods: [[0, 12]] }), txProfile(TX, 10)],
      'CP-3': [setProfile({ id: 4, periods: [[0, 6]] })],
    });
  }, 30_000);

  it("should copy the first master's own limits into the ledger, for the next master", async () => {
    // Arrange: gw-a, a single agent before, holds CP-1 at 12 A in its SQLite
    const settings = siteSettings(lab.endpoints, 2);
    const a = limitsNode('gw-a', settings);
    await new CsmsLimits(SETTINGS, new SqliteUpstreamCsmsProfileStore(a.db)).record(
      'CP-1',
      'SetChargingProfile',
      setProfile({ id: 1, periods: [[0, 12]] }),
    );
    a.limits.resume([]);
    const b = limitsNode('gw-b', settings);

    // Act: gw-a is elected first, then stops; gw-b is elected
    const copied = await elected(a);
    b.node.leadership.start();
    await a.node.close();
    lab.forget(a.node);
    const took = await elected(b);

    // Assert: gw-a's limit went to the ledger and holds on gw-b
    expect(copied).toMatchObject({ copiedOwn: true, chargers: 1, profiles: 1 });
    expect(took).toMatchObject({ copiedOwn: false, profiles: 1 });
    expect(ceiling(b.limits)).toBe(12);
  }, 30_000);
});
