/** Snapshots reuse a connector's state only while nothing it is built from changed (connector-view.ts). */
import { describe, expect, it } from 'vitest';
import { SiteSchema } from '../../../../shared/site/site-schema';
import type { ConnectorState } from '../../../../shared/site/site-state';
import { SiteRuntime, type EnforcedPort } from '../../../../edge/control/site-runtime';
import { testSite } from './control-harness';

const R = 5_000;

function runtimeWithSessions(): SiteRuntime {
  const runtime = new SiteRuntime(SiteSchema.parse(testSite(2)), R);
  runtime.setLink('CP-1', 'online');
  runtime.setLink('CP-2', 'online');
  for (const [i, chargerId] of ['CP-1', 'CP-2'].entries())
    runtime.startSession({
      transactionId: i + 1,
      chargerId,
      connectorId: 1,
      startedAt: 0,
      meterStartWh: 100,
      energyWh: 0,
      idTag: 'TAG',
    });
  runtime.sessionAt('CP-1', 1)!.history.addLimit(0, 16);
  runtime.recordMeasurement('CP-1', 1, { at: 10_000, amps: [15, 15, 15] }, undefined);
  return runtime;
}

const stateOf = (runtime: SiteRuntime, ref: string, enforced?: EnforcedPort): ConnectorState =>
  runtime.snapshot(undefined, enforced).connectors.find((c) => c.ref === ref)!;

/** What a state holds, as plain data. */
const plain = (state: ConnectorState): unknown => JSON.parse(JSON.stringify(state));

describe('SiteRuntime.snapshot, connector states', () => {
  it('should hand out the same state while nothing about the connector changed', () => {
    // Arrange
    const runtime = runtimeWithSessions();
    const first = stateOf(runtime, 'CP-1/1');

    // Act
    const second = stateOf(runtime, 'CP-1/1');

    // Assert
    expect(second).toBe(first);
    expect(first.session?.measured).toEqual({ amps: [15, 15, 15], at: 10_000 });
  });

  it.each<[string, (runtime: SiteRuntime) => void, (state: ConnectorState) => unknown, unknown]>([
    ['a status', (r) => r.setStatus('CP-1', 1, 'SuspendedEV'), (s) => s.status, 'SuspendedEV'],
    ['a link', (r) => r.setLink('CP-1', 'unresponsive'), (s) => s.link, 'unresponsive'],
    [
      'the energy',
      (r) => r.recordMeasurement('CP-1', 1, undefined, { registerWh: 1_100, at: 20_000 }),
      (s) => s.session?.energyWh,
      1_000,
    ],
    [
      'a new sample',
      (r) => r.recordMeasurement('CP-1', 1, { at: 20_000, amps: [14, 14, 14] }, undefined),
      (s) => s.session?.measured,
      // All three samples came after the car's response time and agree: their mean, steady at its limit.
      { amps: [44 / 3, 44 / 3, 44 / 3], at: 20_000, steadyAtAmps: 16 },
    ],
    [
      'a new limit',
      (r) => r.sessionAt('CP-1', 1)!.history.addLimit(8_000, 10),
      (s) => s.session?.measured,
      // No sample came a response time after the limit in force: the newest as it was, no longer steady.
      { amps: [15, 15, 15], at: 12_000 },
    ],
    ["the session's end", (r) => r.stopSession(1, 500), (s) => s.session, undefined],
  ])('should build the state again after %s', (_, change, read, expected) => {
    // Arrange
    const runtime = runtimeWithSessions();
    runtime.recordMeasurement('CP-1', 1, { at: 12_000, amps: [15, 15, 15] }, undefined);
    const before = stateOf(runtime, 'CP-1/1');
    const other = stateOf(runtime, 'CP-2/1');

    // Act
    change(runtime);
    const after = stateOf(runtime, 'CP-1/1');

    // Assert: the changed connector shows the change; the other keeps its state
    expect(after).not.toBe(before);
    expect(read(after)).toEqual(expected);
    expect(stateOf(runtime, 'CP-2/1')).toBe(other);
  });

  it('should follow what a charger we do not control enforces, round by round', () => {
    // Arrange: CP-1 offline, reserving first 16 A, then 6 A once its lease ran out
    const runtime = runtimeWithSessions();
    runtime.setLink('CP-1', 'offline');
    let reserved = 16;
    const enforced: EnforcedPort = { reserved: () => reserved, unleased: () => 6 };
    const first = stateOf(runtime, 'CP-1/1', enforced);

    // Act
    reserved = 6;
    const second = stateOf(runtime, 'CP-1/1', enforced);

    // Assert
    expect(plain(first)).toMatchObject({ link: 'offline', enforcedAmps: 16, unleasedAmps: 6 });
    expect(plain(second)).toMatchObject({ link: 'offline', enforcedAmps: 6, unleasedAmps: 6 });
  });
});
