import { afterEach, describe, expect, it } from 'vitest';
import { ID_BLOCK_SIZE } from '../../../edge/store/transaction-id-blocks';
import { startEdge, type EdgeFixture } from './support/edge-fixture';

const BUDGET_AMPS = 48;

describe('edge agent with virtual chargers', () => {
  let edge: EdgeFixture;
  afterEach(async () => edge.close());

  const accepted = (chargerId: string, amps: number) => () =>
    edge.events.of('profileAccepted').some((e) => e.chargerId === chargerId && e.amps === amps);

  it('should lease plug-ins, serve a VIP first, cut before it raises and redistribute after a departure', async () => {
    // Arrange
    edge = await startEdge({ chargers: 3 });
    const [cp1, cp2, cp3] = [await edge.charger('CP-1'), await edge.charger('CP-2'), await edge.charger('CP-3')];

    // Act 1: two cars
    await edge.startSession(cp1);
    await edge.events.until('CP-1 leased 32 A', accepted('CP-1', 32));
    await edge.startSession(cp2);
    await edge.events.until('CP-1 and CP-2 leased 24 A', () => accepted('CP-1', 24)() && accepted('CP-2', 24)());
    const beforeVip = edge.profiles.frames.length;

    // Act 2: a VIP arrives
    await edge.startSession(cp3, 'VIP-1');
    await edge.events.until(
      'VIP leased 32 A',
      () => accepted('CP-3', 32)() && accepted('CP-1', 8)() && accepted('CP-2', 8)(),
    );
    const vipStep = edge.profiles.frames.slice(beforeVip).filter((f) => f.purpose === 'TxProfile');
    const withVip = edge.events.latest!;

    // Act 3: the VIP leaves
    await cp3.unplug();
    await edge.events.until(
      'CP-1 and CP-2 back at 24 A',
      () => edge.events.of('profileAccepted').filter((e) => e.amps === 24).length >= 4,
    );

    // Assert
    expect(withVip.connectors.map((c) => [c.ref, c.amps, c.reason])).toEqual([
      ['CP-1/1', 8, 'fairShare'],
      ['CP-2/1', 8, 'fairShare'],
      ['CP-3/1', 32, 'vip'],
    ]);
    for (const total of withVip.totalAmps) expect(total).toBeLessThanOrEqual(BUDGET_AMPS);
    const raise = vipStep.find((f) => f.chargerId === 'CP-3' && f.kind === 'call' && f.limit === 32)!;
    const cuts = vipStep.filter((f) => f.kind === 'answer' && f.limit === 8);
    expect(cuts.map((f) => [f.chargerId, f.status])).toEqual(
      expect.arrayContaining([
        ['CP-1', 'Accepted'],
        ['CP-2', 'Accepted'],
      ]),
    );
    expect(cuts.every((f) => f.seq < raise.seq)).toBe(true);
    expect(edge.events.of('sessionEnded').map((e) => e.ref)).toEqual(['CP-3/1']);
    expect(cp1.offeredAmps).toBe(24);
    expect(cp2.offeredAmps).toBe(24);
  });

  it('should keep a session when its charger reconnects', async () => {
    // Arrange
    edge = await startEdge({ chargers: 2 });
    const cp1 = await edge.charger('CP-1');
    const transactionId = await edge.startSession(cp1);
    await edge.events.until('CP-1 leased', accepted('CP-1', 32));

    // Act
    await cp1.client.close({ force: true });
    await edge.events.until('CP-1 offline', () => edge.events.latest?.connectors[0]?.reason === 'offline');
    await cp1.connect();
    // Its old lease still counts until its car had time to follow the new one, so it may come back in steps.
    await edge.events.until(
      'CP-1 leased 32 A again',
      () => edge.events.of('profileAccepted').filter((e) => e.chargerId === 'CP-1' && e.amps === 32).length >= 2,
      10_000,
    );

    // Assert
    expect(edge.events.of('sessionEnded')).toEqual([]);
    expect(cp1.transactionId).toBe(transactionId);
    expect(edge.events.latest!.connectors[0]).toMatchObject({ ref: 'CP-1/1', amps: 32, activity: 'active' });
  });

  it('should resume sessions and transaction ids after a restart on the same database', async () => {
    // Arrange
    edge = await startEdge({ chargers: 3 });
    const [cp1, cp2] = [await edge.charger('CP-1'), await edge.charger('CP-2')];
    const ids = [await edge.startSession(cp1), await edge.startSession(cp2)];
    // CP-3 has not connected yet: its fail-safe stays reserved (a car may be charging on it), 6 A of the 48 A budget.
    await edge.events.until('both leased', () => accepted('CP-1', 21)() && accepted('CP-2', 21)());
    const { dataDir } = edge;
    const port = edge.agent.ocppPort;
    await edge.stopAgent();
    const first = edge;

    // Act
    edge = await startEdge({ chargers: 3, dataDir, ocppPort: port });
    const restored = edge.agent.controller.allocation;
    await cp1.connect();
    await edge.events.until('CP-1 leased by the new agent', () =>
      edge.events.of('profileAccepted').some((e) => e.chargerId === 'CP-1'),
    );
    const cp3 = await edge.charger('CP-3');
    const third = await edge.startSession(cp3);

    // Assert
    expect(ids).toEqual([1, 2]);
    // CP-3 (offline, no car known) is reserved at its fail-safe, not charging.
    expect(
      restored?.connectors.filter((c) => c.activity === 'active' && c.reason !== 'offline').map((c) => c.ref),
    ).toEqual(['CP-1/1', 'CP-2/1']);
    expect(edge.events.of('sessionEnded')).toEqual([]);
    expect(cp1.transactionId).toBe(1);
    // A restart starts past the block of ids the first run reserved (transaction-id-blocks.ts).
    expect(third).toBe(ID_BLOCK_SIZE + 1);
    await edge.events.until(
      'CP-2 (not back yet) is reserved as offline',
      () => edge.events.latest?.connectors.find((c) => c.ref === 'CP-2/1')?.reason === 'offline',
    );
    await first.close(true);
  });

  it('should refuse a charger with a wrong password', async () => {
    // Arrange
    edge = await startEdge({ chargers: 1 });

    // Act
    const attempt = edge.charger('CP-1', { password: 'not-the-right-password' });

    // Assert
    await expect(attempt).rejects.toThrow();
    expect(edge.agent.centralSystem.connectedChargers()).toEqual([]);
  });

  it('should report and retry a profile the charger rejects, then treat the charger as unresponsive', async () => {
    // Arrange
    edge = await startEdge({ chargers: 2 });
    const cp1 = await edge.charger('CP-1', { rejectsProfiles: true });

    // Act
    await edge.startSession(cp1);
    await edge.events.until('CP-1 unresponsive', () => edge.events.of('chargerUnresponsive').length > 0, 10_000);

    // Assert
    const failures = edge.events.of('profileFailed').filter((e) => e.chargerId === 'CP-1');
    expect(failures.slice(0, 3).map((f) => [f.outcome, f.failures])).toEqual([
      ['rejected', 1],
      ['rejected', 2],
      ['rejected', 3],
    ]);
    expect(
      edge.profiles.leases().filter((f) => f.kind === 'answer' && f.status === 'Rejected').length,
    ).toBeGreaterThanOrEqual(3);
    await edge.events.until(
      'CP-1 reserved as unresponsive',
      () => edge.events.latest?.connectors[0]?.reason === 'unresponsive',
    );
  });
});
