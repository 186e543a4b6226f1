import { afterEach, describe, expect, it } from 'vitest';
import { SqliteSessionStore } from '../../../../edge/store/session-store';
import { openStoreDatabase } from '../../../../edge/store/store-database';
import type { ChargerInput } from '../../../../edge/control/control-inputs';
import { onTime, startHarness, testPolicy, testSite, type Harness } from './control-harness';

const status = (h: Harness, connectorId: number): ChargerInput => ({
  type: 'status',
  chargerId: 'CP-1',
  at: h.clock.now(),
  connectorId,
  status: 'Preparing',
});
const started = (
  h: Harness,
  connectorId: number,
  transactionId: number,
  status: 'Accepted' | 'Invalid' = 'Accepted',
): ChargerInput => ({
  type: 'transactionStarted',
  chargerId: 'CP-1',
  at: h.clock.now(),
  connectorId,
  transactionId,
  idTag: 'TAG',
  status,
  meterStartWh: 1_000,
  startedAt: onTime(h.clock.now()),
});
const configured = (h: Harness, numberOfConnectors: number | undefined): ChargerInput => ({
  type: 'configured',
  chargerId: 'CP-1',
  at: h.clock.now(),
  capabilities: { numberOfConnectors },
  failSafeInstalled: true,
});
const leases = (h: Harness, connectorId: number) =>
  h.sender.sent.filter((s) => s.chargerId === 'CP-1' && s.lease.connectorId === connectorId).map((s) => s.lease.amps);

/** A log that keeps its lines, to check what an installer would read. */
function recordingLog() {
  const lines: { level: string; data: object; message: string }[] = [];
  const at = (level: string) => (data: object, message: string) => void lines.push({ level, data, message });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

describe('LoadController with connectors the site file does not list', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('should adopt a connector a listed charger reports and control the transaction on it under the charger maximum', async () => {
    // Arrange: CP-1 is listed with the default one connector, 32 A, on a 63 A budget
    const log = recordingLog();
    h = startHarness(testSite(1), testPolicy({ budget: { unit: 'A', min: 6, max: 63 } }), { log });

    const at = h.clock.now();

    // Act
    h.controller.onChargerInput(status(h, 2));
    h.controller.onChargerInput(started(h, 2, 1));
    h.controller.onChargerInput(started(h, 1, 2));
    await h.settle(1_000);

    // Assert: both transactions are leased, and together stay within CP-1's own 32 A
    expect(h.log.of('connectorAdopted')).toEqual([{ type: 'connectorAdopted', at, ref: 'CP-1/2', cause: 'status' }]);
    expect(h.log.of('sessionStarted').map((e) => e.ref)).toEqual(['CP-1/2', 'CP-1/1']);
    expect(h.runtime.site.chargers[0]!.connectors).toEqual([{ id: 1 }, { id: 2 }]);
    expect(h.controller.allocation?.connectors.map((c) => [c.ref, c.amps])).toEqual([
      ['CP-1/1', 16],
      ['CP-1/2', 16],
    ]);
    expect(leases(h, 2).at(-1)).toBe(16);
    expect(log.lines).toContainEqual({
      level: 'warn',
      data: { ref: 'CP-1/2', cause: 'status', transactionId: undefined },
      message:
        'connector not in the site file adopted under its charger (add it to the site file to make this permanent)',
    });
  });

  it('should adopt the connector of a StartTransaction that came without a StatusNotification', async () => {
    // Arrange
    h = startHarness(testSite(1), testPolicy());

    // Act: what the central system asks before it answers the StartTransaction, then the event
    const refusal = h.controller.refusal({ chargerId: 'CP-1', connectorId: 2, transactionId: 1, at: h.clock.now() });
    h.controller.onChargerInput(started(h, 2, 1));
    await h.settle(1_000);

    // Assert
    expect(refusal).toBeUndefined();
    expect(h.log.of('connectorAdopted').map((e) => [e.ref, e.cause])).toEqual([['CP-1/2', 'transaction']]);
    expect(leases(h, 2).at(-1)).toBe(32);
  });

  it('should refuse a connector beyond what the charger reports, with an event and a log line, and adopt nothing', async () => {
    // Arrange
    const log = recordingLog();
    h = startHarness(testSite(1), testPolicy(), { log });
    h.controller.onChargerInput(configured(h, 1));
    const at = h.clock.now();

    // Act
    const refusal = h.controller.refusal({ chargerId: 'CP-1', connectorId: 2, transactionId: 5, at: h.clock.now() });
    h.controller.onChargerInput(started(h, 2, 5, 'Invalid'));
    await h.settle(1_000);

    // Assert
    const reason = { reason: 'event.adoptionRefused.beyondReported', params: { connectorId: 2, reported: 1 } };
    expect(refusal).toEqual(reason);
    expect(h.log.of('connectorRefused')).toEqual([
      { type: 'connectorRefused', at, ref: 'CP-1/2', reason, transactionId: 5 },
    ]);
    expect(h.log.of('connectorAdopted')).toEqual([]);
    expect(h.log.of('sessionStarted')).toEqual([]);
    expect(h.runtime.site.chargers[0]!.connectors).toEqual([{ id: 1 }]);
    expect(log.lines).toContainEqual({
      level: 'warn',
      data: {
        ref: 'CP-1/2',
        cause: 'transaction',
        transactionId: 5,
        reason: 'connector 2 is beyond the 1 connectors the charger reports (NumberOfConnectors)',
      },
      message: 'connector not in the site file cannot be controlled',
    });
  });

  it('should report a connector beyond the hard cap once however often the charger repeats its status', async () => {
    // Arrange
    h = startHarness(testSite(1), testPolicy());

    // Act
    h.controller.onChargerInput(status(h, 12));
    h.controller.onChargerInput(status(h, 12));
    await h.settle();

    // Assert
    expect(h.log.of('connectorRefused').map((e) => [e.ref, e.reason, e.transactionId])).toEqual([
      ['CP-1/12', { reason: 'event.adoptionRefused.tooMany', params: { connectorId: 12, max: 10 } }, undefined],
    ]);
  });

  it('should keep an adopted connector and its session across a restart, and store the session energy at its end', async () => {
    // Arrange
    h = startHarness(testSite(1), testPolicy());
    h.controller.onChargerInput(started(h, 2, 1));
    await h.settle(1_000);
    await h.stop();

    // Act: the agent restarts on the same data; the charger has not reported anything since
    h = startHarness(testSite(1), testPolicy(), { dir: h.dir });
    await h.settle(1_000);
    const adoptedAfterRestart = h.runtime.adoptedRefs();
    const leasedAfterRestart = leases(h, 2).at(-1);
    h.controller.onChargerInput({
      type: 'transactionStopped',
      chargerId: 'CP-1',
      at: h.clock.now(),
      transactionId: 1,
      meterStopWh: 8_500,
      reason: 'Local',
      stoppedAt: onTime(h.clock.now()),
    });
    await h.settle();

    // Assert
    expect(adoptedAfterRestart).toEqual(['CP-1/2']);
    expect(leasedAfterRestart).toBe(32);
    expect(h.log.of('sessionEnded').map((e) => [e.ref, e.energyWh])).toEqual([['CP-1/2', 7_500]]);
  });

  it('should adopt the connector of a session stored before adoption existed, instead of dropping it', async () => {
    // Arrange: an open session on CP-1/2 in the store, the site listing only CP-1/1
    h = startHarness(testSite(1), testPolicy());
    await h.stop();
    const db = openStoreDatabase(h.dir);
    new SqliteSessionStore(db).startSession(
      { transactionId: 9, chargerId: 'CP-1', connectorId: 2, idTag: 'TAG', startedAt: 0, meterStartWh: 0, energyWh: 0 },
      { receivedAt: 0, source: 'charger' },
    );
    db.close();

    // Act
    h = startHarness(testSite(1), testPolicy(), { dir: h.dir });
    await h.settle(1_000);

    // Assert
    expect(h.log.of('connectorAdopted').map((e) => [e.ref, e.cause])).toEqual([['CP-1/2', 'storedSession']]);
    expect(h.runtime.sessionAt('CP-1', 2)?.transactionId).toBe(9);
    expect(leases(h, 2).at(-1)).toBe(32);
  });

  it('should forget an adopted connector once the site file lists it', async () => {
    // Arrange
    h = startHarness(testSite(1), testPolicy());
    h.controller.onChargerInput(status(h, 2));
    await h.settle();
    const adopted = h.runtime.adoptedRefs();
    await h.stop();

    // Act: the installer lists it, restarts, then takes it out of the file again and restarts
    const listed = testSite(0, {
      chargers: [{ id: 'CP-1', circuit: 'main', phases: 3, maxAmps: 32, connectors: [{ id: 1 }, { id: 2 }] }],
    });
    h = startHarness(listed, testPolicy(), { dir: h.dir });
    await h.settle();
    const whileListed = [h.runtime.adoptedRefs(), h.runtime.site.chargers[0]!.connectors];
    await h.stop();
    h = startHarness(testSite(1), testPolicy(), { dir: h.dir });
    await h.settle();

    // Assert: nothing is adopted again until the charger reports the connector
    expect(adopted).toEqual(['CP-1/2']);
    expect(whileListed).toEqual([[], [{ id: 1 }, { id: 2 }]]);
    expect(h.runtime.adoptedRefs()).toEqual([]);
  });
});
