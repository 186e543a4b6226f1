/**
 * After an agent restart, a charger that reconnects still holds the lease the agent before the restart sent it, until
 * the new agent's control loop leases it again. A CSMS limit set in between must reach the charger at once, capped as
 * any lease (min of the CSMS's limit and the allocation that lease carried), not with the control loop's next lease.
 * The restarted agent's control loop is held back here (a debounce of 10 s, a tick of a minute), so that window is
 * wide open while the test runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { eventually } from '../../support/eventually';
import { txProfile } from '../../unit/edge/upstream/csms-profiles';
import { TsOcppCsms } from './support/ts-ocpp-csms';

const options = (csms: TsOcppCsms) => ({
  chargers: 1,
  upstream: { csmsUrl: csms.url },
  control: { leaseSeconds: 3600 },
});

describe('edge agent in front of a CSMS: its limits between a restart and the first lease', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await edge?.close();
    for (const close of closers.splice(0)) await close();
    await csms?.close();
    edge = csms = undefined;
  });

  it('should cap the lease a charger holds from before an agent restart as soon as the CSMS sets a limit, before the new agent leases it', async () => {
    // Arrange: a car on the site's 32 A under an hour's lease; the agent restarts on the same data, and its control
    // loop is slow to lease the reconnected charger again
    csms = await TsOcppCsms.start();
    edge = await startEdge(options(csms));
    const charger = await edge.charger('CP-1');
    const transactionId = await edge.startSession(charger);
    await edge.events.until('the site’s share in force', () => charger.offeredAmps === 32);
    const { dataDir } = edge;
    const ocppPort = edge.agent.ocppPort;
    await edge.stopAgent();
    const before = edge;
    closers.push(() => before.close(true));
    edge = await startEdge({
      ...options(csms),
      control: { leaseSeconds: 3600, debounceMs: 10_000, tickMs: 60_000 },
      dataDir,
      ocppPort,
    });
    await charger.connect();
    await csms.until('link up again', () => csms?.isConnected('CP-1') ?? false);

    // Act: the CSMS limits the transaction to 10 A
    await csms.send('CP-1', 'SetChargingProfile', txProfile(transactionId, 10));
    await eventually('the CSMS limit on the charger', () => charger.offeredAmps === 10, 8_000);

    // Assert: it reached the charger while the new agent's control loop had leased nothing yet (before: the car kept
    // 32 A until that lease)
    expect(edge.events.of('profileAccepted')).toEqual([]);
  });
});
