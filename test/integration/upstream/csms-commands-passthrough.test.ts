/**
 * The CSMS's remote commands pass through the agent unchanged, both ways, with charge point and CSMS both written by
 * others: @voltbras/ts-ocpp's ChargePoint behind the agent, its CentralSystem in front.
 */
import { ChargePoint } from '@voltbras/ts-ocpp';
import { afterEach, describe, expect, it } from 'vitest';
import { passwordOf, startEdge, type EdgeFixture } from '../edge/support/edge-fixture';
import { TsOcppCsms } from './support/ts-ocpp-csms';

const later = new Date(Date.now() + 3_600_000).toISOString();

/** Each command as the CSMS sends it, and the charge point's answer. */
const COMMANDS: readonly (readonly [string, Record<string, unknown>, Record<string, unknown>])[] = [
  ['Reset', { type: 'Soft' }, { status: 'Accepted' }],
  ['UnlockConnector', { connectorId: 1 }, { status: 'Unlocked' }],
  ['ChangeAvailability', { connectorId: 0, type: 'Inoperative' }, { status: 'Scheduled' }],
  ['TriggerMessage', { requestedMessage: 'Heartbeat' }, { status: 'Accepted' }],
  ['ReserveNow', { connectorId: 1, expiryDate: later, idTag: 'TAG-R', reservationId: 42 }, { status: 'Accepted' }],
  ['CancelReservation', { reservationId: 42 }, { status: 'Accepted' }],
  [
    'GetConfiguration',
    { key: ['HeartbeatInterval'] },
    { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] },
  ],
  ['GetLocalListVersion', {}, { listVersion: 3 }],
  ['UpdateFirmware', { location: 'https://firmware.example/cp-2.1.bin', retrieveDate: later, retries: 2 }, {}],
  ['GetDiagnostics', { location: 'ftp://diagnostics.example/upload/', retries: 1 }, { fileName: 'cp-diag.tar.gz' }],
];

describe('edge agent in front of a CSMS: remote commands', () => {
  let edge: EdgeFixture | undefined;
  let csms: TsOcppCsms | undefined;
  let chargePoint: ChargePoint | undefined;
  afterEach(async () => {
    chargePoint?.close();
    await edge?.close();
    await csms?.close();
    chargePoint = edge = csms = undefined;
  });

  it('should pass each remote command to an independent charge point unchanged and its answer back unchanged', async () => {
    // Arrange: ts-ocpp's charge point behind the agent (Basic auth from the URL: ts-ocpp has no option for it)
    csms = await TsOcppCsms.start();
    edge = await startEdge({ chargers: 1, upstream: { csmsUrl: csms.url } });
    const seen: [string, Record<string, unknown>][] = [];
    const answers = new Map(COMMANDS.map(([action, , answer]) => [action, answer]));
    const url = edge.agent.ocppUrl.replace('ws://', `ws://CP-1:${encodeURIComponent(passwordOf('CP-1'))}@`);
    chargePoint = new ChargePoint(
      'CP-1',
      (request) => {
        const { action, ocppVersion, ...payload } = request as unknown as Record<string, unknown>;
        const answer = answers.get(String(action)) ?? { status: 'Accepted' };
        if (answers.has(String(action))) seen.push([String(action), payload]);
        return { action, ocppVersion, ...answer } as never;
      },
      url,
    );
    await chargePoint.connect();
    await csms.until('upstream link', () => csms?.isConnected('CP-1') ?? false);

    // Act
    const returned: unknown[] = [];
    for (const [action, payload] of COMMANDS) returned.push(await csms.send('CP-1', action, payload));

    // Assert
    expect(seen).toEqual(COMMANDS.map(([action, payload]) => [action, payload]));
    expect(returned).toEqual(COMMANDS.map(([, , answer]) => answer));
  });
});
