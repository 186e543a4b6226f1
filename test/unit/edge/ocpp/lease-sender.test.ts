import { describe, expect, it } from 'vitest';
import type { LeaseRequest } from '../../../../edge/control/control-ports';
import { ChargerConnections } from '../../../../edge/ocpp/charger-connections';
import { OcppLeaseSender, type LeaseCeiling } from '../../../../edge/ocpp/lease-sender';
import type { RpcServerClient } from '../../../../edge/ocpp/rpc-server-client';

const NOW = Date.parse('2026-12-01T08:00:00Z');
const LEASE: LeaseRequest = { connectorId: 1, transactionId: 41, amps: 20, phases: 3, minAmps: 6, leaseSeconds: 120 };

interface SentPeriod {
  readonly limit: number;
  readonly numberPhases: number;
}

function harness(ceiling?: LeaseCeiling) {
  const sent: SentPeriod[] = [];
  const client = {
    call: (
      _method: string,
      params: { csChargingProfiles: { chargingSchedule: { chargingSchedulePeriod: SentPeriod[] } } },
    ) => {
      sent.push(...params.csChargingProfiles.chargingSchedule.chargingSchedulePeriod);
      return Promise.resolve({ status: 'Accepted' });
    },
  };
  const connections = new ChargerConnections();
  connections.set('CP-1', { client: client as unknown as RpcServerClient });
  const sender = new OcppLeaseSender(connections, { nominalVolts: 230, commandTimeoutMs: 1000 }, () => NOW, ceiling);
  return { sender, sent };
}

describe('OcppLeaseSender with a CSMS ceiling', () => {
  it('should send the allocation unchanged without a ceiling', async () => {
    const { sender, sent } = harness();

    expect(await sender.sendLease('CP-1', LEASE)).toMatchObject({ kind: 'accepted' });
    expect(sent).toEqual([{ startPeriod: 0, limit: 20, numberPhases: 3 }]);
  });

  it('should ask for the lowest limit over the whole lease and send the lower of it and the allocation', async () => {
    const asked: unknown[] = [];
    const { sender, sent } = harness({
      lowestDuring: (...args) => (asked.push(args), { amps: 13.37, phases: 2 }),
    });

    await sender.sendLease('CP-1', LEASE);

    expect(asked).toEqual([['CP-1', LEASE, NOW, NOW + 120_000]]);
    expect(sent).toEqual([{ startPeriod: 0, limit: 13.3, numberPhases: 2 }]);
  });

  it.each<[string, { amps: number; phases: 1 | 2 | 3 } | undefined, number]>([
    ['a ceiling above the allocation', { amps: 32, phases: 3 }, 20],
    ['no limit from the CSMS', undefined, 20],
    ['a ceiling below what a car can charge at (a pause)', { amps: 4, phases: 3 }, 0],
  ])('should send the allocation as capped by %s', async (_name, ceiling, amps) => {
    const { sender, sent } = harness({ lowestDuring: () => ceiling });

    await sender.sendLease('CP-1', LEASE);

    expect(sent[0]?.limit).toBe(amps);
  });
});
