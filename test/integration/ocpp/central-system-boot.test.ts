import type { RPCClient } from 'ocpp-rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAIL_SAFE_PROFILE_ID } from '../../../edge/ocpp/charging-profile';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';
import { OcppSchemaAudit } from './support/ocpp-schema-audit';
import { rawChargePoint } from './support/raw-charge-point';

const CHARGER = { id: 'CP-1', password: 'correct horse battery', phases: 3 as const, maxAmps: 32 };

describe('central system boot', () => {
  let fixture: Fixture;
  let client: RPCClient;
  const audit = new OcppSchemaAudit();
  const received: { method: string; params: unknown }[] = [];

  beforeEach(async () => {
    fixture = await startCentralSystem([CHARGER]);
    client = rawChargePoint({ endpoint: fixture.cs.url, identity: CHARGER.id, password: CHARGER.password });
    audit.attach(client);
    client.handle(({ method, params }) => {
      received.push({ method: method!, params });
      if (method === 'GetConfiguration') {
        return Promise.resolve({
          configurationKey: [
            { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Power' },
            { key: 'ChargeProfileMaxStackLevel', readonly: true, value: '3' },
            { key: 'ConnectorPhaseRotation', readonly: false, value: '0.RST,1.STR' },
          ],
        });
      }
      return Promise.resolve({ status: 'Accepted' });
    });
    await client.connect();
  });

  afterEach(async () => {
    await client.close({ force: true });
    await fixture.close();
  });

  it('should accept a known charger and configure it at boot', async () => {
    // Act
    const boot = (await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X1' })) as {
      status: string;
      interval: number;
    };
    const configured = await fixture.events.waitFor('configured');

    // Assert
    expect(boot.status).toBe('Accepted');
    expect(boot.interval).toBe(60);
    expect(configured.capabilities).toEqual({ rateUnit: 'W', maxStackLevel: 3, phaseRotation: 'L2L3L1' });
    expect(configured.failSafeInstalled).toBe(true);
    expect(received.map((r) => r.method)).toEqual([
      'ChangeConfiguration',
      'ChangeConfiguration',
      'GetConfiguration',
      'SetChargingProfile',
    ]);
    expect(received[1]!.params).toEqual({
      key: 'MeterValuesSampledData',
      value: 'Current.Import,Current.Offered,Power.Active.Import,Energy.Active.Import.Register,Voltage',
    });
    expect(received[3]!.params).toMatchObject({
      connectorId: 0,
      csChargingProfiles: {
        chargingProfileId: FAIL_SAFE_PROFILE_ID,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingSchedule: {
          chargingRateUnit: 'W',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 * 3 * 230, numberPhases: 3 }],
        },
      },
    });
    expect(fixture.cs.capabilities(CHARGER.id)?.rateUnit).toBe('W');
    expect(audit.violations).toEqual([]);
    expect(audit.checked).toBeGreaterThanOrEqual(5);
  });

  it('should report status, hand out unique transaction ids and parse meter values per phase', async () => {
    // Arrange
    const now = new Date().toISOString();

    // Act
    await client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
    const auth = (await client.call('Authorize', { idTag: 'VIP-1' })) as { idTagInfo: { status: string } };
    const first = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'VIP-1',
      meterStart: 1000,
      timestamp: now,
    })) as { transactionId: number };
    const second = (await client.call('StartTransaction', {
      connectorId: 2,
      idTag: 'NOPE',
      meterStart: 0,
      timestamp: now,
    })) as {
      transactionId: number;
      idTagInfo: { status: string };
    };
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: first.transactionId,
      meterValue: [
        {
          timestamp: now,
          sampledValue: [
            { measurand: 'Current.Import', phase: 'L1', unit: 'A', value: '15.5' },
            { measurand: 'Current.Import', phase: 'L2', unit: 'A', value: '15.2' },
            { measurand: 'Current.Import', phase: 'L3', unit: 'A', value: '0' },
            { measurand: 'Current.Offered', unit: 'A', value: '16' },
            { measurand: 'Power.Active.Import', unit: 'kW', value: '7.1' },
            { measurand: 'Energy.Active.Import.Register', unit: 'kWh', value: '12.345' },
            { measurand: 'Voltage', phase: 'L1-N', unit: 'V', value: '231' },
          ],
        },
      ],
    });
    const stop = (await client.call('StopTransaction', {
      transactionId: first.transactionId,
      meterStop: 12345,
      timestamp: now,
      idTag: 'VIP-1',
      reason: 'EVDisconnected',
    })) as { idTagInfo: { status: string } };
    const data = (await client.call('DataTransfer', { vendorId: 'com.example' })) as { status: string };

    // Assert
    expect(auth.idTagInfo.status).toBe('Accepted');
    expect(second.idTagInfo.status).toBe('Invalid');
    expect(new Set([first.transactionId, second.transactionId]).size).toBe(2);
    expect(stop.idTagInfo.status).toBe('Accepted');
    expect(data.status).toBe('UnknownVendorId');
    expect(fixture.events.of('status')[0]).toMatchObject({ connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
    expect(fixture.events.of('authorized')[0]).toMatchObject({ idTag: 'VIP-1', vip: true });
    expect(fixture.events.of('transactionStarted').map((e) => e.transactionId)).toEqual([
      first.transactionId,
      second.transactionId,
    ]);
    const meter = fixture.events.of('meterValues')[0]!;
    expect(meter.sample.measurement?.amps).toEqual([15.5, 15.2, 0]);
    expect(meter.sample).toMatchObject({ offeredAmps: 16, powerWatts: 7100, energyWh: 12345, volts: [231, 0, 0] });
    expect(fixture.events.of('transactionStopped')[0]).toMatchObject({
      transactionId: first.transactionId,
      meterStopWh: 12345,
      reason: 'EVDisconnected',
    });
    expect(audit.violations).toEqual([]);
  });
});
