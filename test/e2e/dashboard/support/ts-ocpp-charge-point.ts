/**
 * A charge point no one on this team wrote (@voltbras/ts-ocpp) dialling in with its own identity and password: it
 * boots on every connection, reports its configuration, takes every profile and, like a charger, dials again when the
 * central system closes its connection (ts-ocpp itself does not).
 */
import { ChargePoint } from '@voltbras/ts-ocpp';
import type { ReceivedProfile } from '../../../integration/ocpp/support/dialling-charge-point';

export interface TsOcppChargePoint {
  readonly boots: string[];
  readonly profiles: ReceivedProfile[];
  /** Dials in (again after `close`). */
  connect(): Promise<void>;
  /** A request of its own, answered or thrown. */
  send(action: 'StatusNotification' | 'StartTransaction', payload: object): Promise<unknown>;
  /** Hangs up and stays off until `connect`. */
  close(): void;
}

export function tsOcppChargePoint(options: {
  ocppUrl: string;
  identity: string;
  password: string;
  configuration: Readonly<Record<string, string>>;
}): TsOcppChargePoint {
  const boots: string[] = [];
  const profiles: ReceivedProfile[] = [];
  let closing = false;
  // ts-ocpp has no Basic auth option; the ws client it uses takes the credentials from the URL.
  const url = options.ocppUrl.replace('ws://', `ws://${options.identity}:${encodeURIComponent(options.password)}@`);
  const chargePoint = new ChargePoint(
    options.identity,
    (request) => {
      switch (request.action) {
        case 'GetConfiguration': {
          const keys = request.key ?? Object.keys(options.configuration);
          const known = keys.filter((k) => options.configuration[k] !== undefined);
          return {
            action: request.action,
            ocppVersion: request.ocppVersion,
            configurationKey: known.map((k) => ({ key: k, readonly: true, value: options.configuration[k] })),
            unknownKey: keys.filter((k) => !known.includes(k)),
          };
        }
        case 'SetChargingProfile':
          profiles.push(request);
          return { action: request.action, ocppVersion: request.ocppVersion, status: 'Accepted' };
        case 'ChangeConfiguration':
        case 'ClearChargingProfile':
        case 'TriggerMessage':
          return { action: request.action, ocppVersion: request.ocppVersion, status: 'Accepted' };
        default:
          throw new Error(`not handled: ${request.action}`);
      }
    },
    url,
  );
  const connect = async (): Promise<void> => {
    closing = false;
    const connection = await chargePoint.connect();
    connection.socket.addEventListener('close', () => {
      if (!closing) void connect();
    });
    const boot = await chargePoint
      .sendRequest({
        action: 'BootNotification',
        ocppVersion: 'v1.6-json',
        payload: { chargePointVendor: 'Voltbras', chargePointModel: 'ts-ocpp', firmwareVersion: '2.7.3' },
      })
      .run();
    boot.map((answer) => boots.push(answer.status));
  };
  return {
    boots,
    profiles,
    connect,
    send: async (action, payload) =>
      (
        await chargePoint.sendRequest({ action, ocppVersion: 'v1.6-json', payload: payload as never }).run()
      ).unsafeCoerce(),
    close: () => {
      closing = true;
      chargePoint.close();
    },
  };
}
