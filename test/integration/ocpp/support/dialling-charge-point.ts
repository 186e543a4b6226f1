/**
 * A charge point of ours (ocpp-rpc) that dials in with its own identity and password, reconnects when the central
 * system closes it, boots on every connection and takes every profile: what a charger the site does not list yet does.
 */
import type { RPCClient } from 'ocpp-rpc';
import { rawChargePoint } from './raw-charge-point';

export interface ReceivedProfile {
  readonly connectorId: number;
  readonly csChargingProfiles: { readonly chargingProfilePurpose: string; readonly chargingProfileId: number };
}

export interface DiallingChargePoint {
  readonly client: RPCClient;
  /** The BootNotification answers' statuses, in order. */
  readonly boots: string[];
  readonly profiles: ReceivedProfile[];
}

export function diallingChargePoint(options: {
  ocppUrl: string;
  identity: string;
  password: string;
  /** What GetConfiguration reports (read-only keys). */
  configuration: Readonly<Record<string, string>>;
  boot: { chargePointVendor: string; chargePointModel: string; firmwareVersion: string };
}): DiallingChargePoint {
  const client: RPCClient = rawChargePoint({
    endpoint: options.ocppUrl,
    identity: options.identity,
    password: options.password,
    reconnect: true,
    backoff: { initialDelay: 50, maxDelay: 200, factor: 2, randomisationFactor: 0 },
  });
  const boots: string[] = [];
  const profiles: ReceivedProfile[] = [];
  const config = options.configuration;
  client.handle('GetConfiguration', ({ params }) => {
    const keys = (params as { key?: string[] } | undefined)?.key ?? Object.keys(config);
    return Promise.resolve({
      configurationKey: keys
        .filter((k) => config[k] !== undefined)
        .map((k) => ({ key: k, readonly: true, value: config[k] })),
      unknownKey: keys.filter((k) => config[k] === undefined),
    });
  });
  client.handle('SetChargingProfile', ({ params }) => {
    profiles.push(params as ReceivedProfile);
    return Promise.resolve({ status: 'Accepted' });
  });
  for (const method of ['ChangeConfiguration', 'ClearChargingProfile', 'TriggerMessage'])
    client.handle(method, () => Promise.resolve({ status: 'Accepted' }));
  client.on('open', () => {
    void client
      .call('BootNotification', options.boot)
      .then((answer) => boots.push((answer as { status: string }).status))
      .catch(() => undefined);
  });
  return { client, boots, profiles };
}

/** A car plugs in on `connectorId` and a transaction starts with `idTag`; resolves with the StartTransaction answer. */
export async function startCharging(
  client: RPCClient,
  connectorId: number,
  idTag: string,
): Promise<{ transactionId: number; idTagInfo: { status: string } }> {
  await client.call('StatusNotification', { connectorId, errorCode: 'NoError', status: 'Preparing' });
  return (await client.call('StartTransaction', {
    connectorId,
    idTag,
    meterStart: 0,
    timestamp: new Date().toISOString(),
  })) as { transactionId: number; idTagInfo: { status: string } };
}
