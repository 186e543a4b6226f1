import { describe, expect, it } from 'vitest';
import { rewriteTransactionId } from '../../../../edge/upstream/transaction-id-rewrite';

const lookup = (id: number) => (id === -2 ? 1000 : undefined);
const profile = (transactionId?: number) => ({
  chargingProfileId: 1,
  stackLevel: 0,
  chargingProfilePurpose: 'TxProfile',
  chargingProfileKind: 'Relative',
  ...(transactionId !== undefined && { transactionId }),
  chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
});

describe('rewriteTransactionId', () => {
  it.each([
    ['StopTransaction', { transactionId: -2, meterStop: 5 }, { transactionId: 1000, meterStop: 5 }],
    [
      'MeterValues',
      { connectorId: 1, transactionId: -2, meterValue: [] },
      { connectorId: 1, transactionId: 1000, meterValue: [] },
    ],
    ['MeterValues', { connectorId: 1, meterValue: [] }, { connectorId: 1, meterValue: [] }],
    ['StopTransaction', { transactionId: 77, meterStop: 5 }, { transactionId: 77, meterStop: 5 }],
    [
      'SetChargingProfile',
      { connectorId: 1, csChargingProfiles: profile(-2) },
      { connectorId: 1, csChargingProfiles: profile(1000) },
    ],
    [
      'SetChargingProfile',
      { connectorId: 1, csChargingProfiles: profile() },
      { connectorId: 1, csChargingProfiles: profile() },
    ],
    [
      'RemoteStartTransaction',
      { idTag: 'T', chargingProfile: profile(-2) },
      { idTag: 'T', chargingProfile: profile(1000) },
    ],
    ['DataTransfer', { vendorId: 'v', data: '{"transactionId":-2}' }, { vendorId: 'v', data: '{"transactionId":-2}' }],
  ])('should rewrite %s %j to %j', (action, payload, expected) => {
    expect(rewriteTransactionId(action, payload, lookup)).toEqual(expected);
  });
});
