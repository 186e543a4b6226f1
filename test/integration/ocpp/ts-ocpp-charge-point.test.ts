/** Our central system against a charge point implementation no one on this team wrote: @voltbras/ts-ocpp. */
import { ChargePoint } from '@voltbras/ts-ocpp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';

const CHARGER = { id: 'CP-VOLTBRAS', password: 'voltbras-password', phases: 3 as const, maxAmps: 32 };

describe('@voltbras/ts-ocpp charge point', () => {
  let fixture: Fixture;
  let chargePoint: ChargePoint;
  const received: string[] = [];

  beforeEach(async () => {
    fixture = await startCentralSystem([CHARGER]);
    // ts-ocpp has no Basic auth option; the ws client it uses takes the credentials from the URL.
    const url = fixture.cs.url.replace('ws://', `ws://${CHARGER.id}:${encodeURIComponent(CHARGER.password)}@`);
    chargePoint = new ChargePoint(
      CHARGER.id,
      (request) => {
        received.push(request.action);
        switch (request.action) {
          case 'GetConfiguration':
            return {
              action: request.action,
              ocppVersion: request.ocppVersion,
              configurationKey: [{ key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current' }],
            };
          case 'ChangeConfiguration':
          case 'SetChargingProfile':
            return { action: request.action, ocppVersion: request.ocppVersion, status: 'Accepted' };
          default:
            throw new Error(`not handled: ${request.action}`);
        }
      },
      url,
    );
    await chargePoint.connect();
  });

  afterEach(async () => {
    chargePoint.close();
    await fixture.close();
  });

  it('should boot, report status, heartbeat and run a transaction', async () => {
    // Act
    const boot = (
      await chargePoint.sendRequest({
        action: 'BootNotification',
        ocppVersion: 'v1.6-json',
        payload: { chargePointVendor: 'Voltbras', chargePointModel: 'ts-ocpp' },
      })
    ).unsafeCoerce();
    const configured = await fixture.events.waitFor('configured', (e) => e.chargerId === CHARGER.id);
    (
      await chargePoint.sendRequest({
        action: 'StatusNotification',
        ocppVersion: 'v1.6-json',
        payload: { connectorId: 1, errorCode: 'NoError', status: 'Preparing' },
      })
    ).unsafeCoerce();
    const heartbeat = (
      await chargePoint.sendRequest({ action: 'Heartbeat', ocppVersion: 'v1.6-json', payload: {} })
    ).unsafeCoerce();
    const started = (
      await chargePoint.sendRequest({
        action: 'StartTransaction',
        ocppVersion: 'v1.6-json',
        payload: { connectorId: 1, idTag: 'TAG-2', meterStart: 0, timestamp: new Date().toISOString() },
      })
    ).unsafeCoerce();
    const stopped = (
      await chargePoint.sendRequest({
        action: 'StopTransaction',
        ocppVersion: 'v1.6-json',
        payload: { transactionId: started.transactionId, meterStop: 1500, timestamp: new Date().toISOString() },
      })
    ).unsafeCoerce();

    // Assert
    expect(boot.status).toBe('Accepted');
    expect(configured).toMatchObject({ failSafeInstalled: true, capabilities: { rateUnit: 'A' } });
    expect(received).toEqual(['ChangeConfiguration', 'ChangeConfiguration', 'GetConfiguration', 'SetChargingProfile']);
    expect(Date.parse(heartbeat.currentTime)).not.toBeNaN();
    expect(started.idTagInfo.status).toBe('Accepted');
    expect(stopped).toBeDefined();
    expect(fixture.events.of('status', CHARGER.id)[0]?.status).toBe('Preparing');
    expect(fixture.events.of('transactionStopped', CHARGER.id)[0]).toMatchObject({
      transactionId: started.transactionId,
      meterStopWh: 1500,
    });
  });
});
