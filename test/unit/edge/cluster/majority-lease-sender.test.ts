import { describe, expect, it } from 'vitest';
import { ClusterConfigSchema } from '../../../../edge/cluster/cluster-config';
import { createTwoGatewayNode } from '../../../../edge/cluster/two-gateway-node';
import type { LeaseOutcome, LeaseRequest, LeaseSender } from '../../../../edge/control/control-ports';

const LEASE_SECONDS = 10;
const FAIL_SAFE_AMPS = 6;

/** The OCPP side of a two-gateway node: what reached it, in order. */
class RecordingSender implements LeaseSender {
  readonly sent: { chargerId: string; amps: number }[] = [];

  sendLease(chargerId: string, request: LeaseRequest): Promise<LeaseOutcome> {
    this.sent.push({ chargerId, amps: request.amps });
    return Promise.resolve({ kind: 'accepted' });
  }

  sendIdleHold(): Promise<LeaseOutcome> {
    return Promise.resolve({ kind: 'accepted' });
  }

  requestMeterValues(): Promise<void> {
    return Promise.resolve();
  }
}

/** gw-a of a three-charger site, its chargers (`state.connected`) connected long ago and heard just now. */
function twoGatewayNode() {
  const state = { connected: ['CP-1', 'CP-2', 'CP-3'], now: 0 };
  const config = ClusterConfigSchema.parse({ nodeId: 'gw-a', witness: false, staticOrder: ['gw-a', 'gw-b'] });
  const node = createTwoGatewayNode(config, {
    localIds: { next: () => Promise.resolve(1) },
    connectedChargers: () =>
      state.connected.map((chargerId) => ({ chargerId, openedAt: -60_000, answeredPingAt: state.now })),
    siteChargerIds: () => ['CP-1', 'CP-2', 'CP-3'],
    failSafeAmps: () => FAIL_SAFE_AMPS,
    leaseSeconds: LEASE_SECONDS,
    pingIntervalSeconds: 2,
    now: () => state.now,
    log: { info: () => undefined, error: () => undefined },
  });
  const inner = new RecordingSender();
  return { state, node, inner, sender: node.majorityLeases(inner) };
}

function lease(amps: number): LeaseRequest {
  return { connectorId: 1, transactionId: 7, amps, phases: 3, minAmps: 6, leaseSeconds: LEASE_SECONDS };
}

describe("a two-gateway node's leases", () => {
  it('should not let a raise decided while it held the majority leave once the majority is lost, and still send the fail-safe', async () => {
    // Arrange: gw-a holds every charger for its hold (two leases), rechecked every second as the agent does
    const { state, node, inner, sender } = twoGatewayNode();
    for (state.now = 0; state.now <= 2 * LEASE_SECONDS * 1000; state.now += 1_000) node.ceilings.ceiling('CP-1', 1, 3);
    const roundCeiling = node.ceilings.ceiling('CP-1', 1, 3);
    const whileHeld = await sender.sendLease('CP-1', lease(21));

    // Act: a round decides a raise; before it leaves (its cuts are answered first), two chargers move away
    state.connected = ['CP-1'];
    const afterLoss = await sender.sendLease('CP-1', lease(21));
    const failSafe = await sender.sendLease('CP-1', lease(FAIL_SAFE_AMPS));

    // Assert
    expect(roundCeiling).toBeUndefined();
    expect(whileHeld.kind).toBe('accepted');
    expect(afterLoss.kind).toBe('notConnected');
    expect(failSafe.kind).toBe('accepted');
    expect(inner.sent).toEqual([
      { chargerId: 'CP-1', amps: 21 },
      { chargerId: 'CP-1', amps: FAIL_SAFE_AMPS },
    ]);
    expect((await node.status()).mayExceedFailSafe).toBe(false);
  });
});
