import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { parseSyncConfig } from '../../../../edge/sync/sync-config';

const aws = {
  kind: 'aws-iot',
  endpoint: 'abc123-ats.iot.eu-west-1.amazonaws.com',
  certPath: '/etc/ampshare/cert.pem',
  keyPath: '/etc/ampshare/key.pem',
  caPath: '/etc/ampshare/ca.pem',
};

describe('parseSyncConfig', () => {
  it('should fill defaults for an AWS IoT gateway', () => {
    const config = parseSyncConfig({ broker: aws, thingName: 'gw-site-1', siteId: 'site-1' });
    expect(config).toMatchObject({
      broker: { kind: 'aws-iot', port: 8883 },
      keepaliveSeconds: 30,
      reconnect: { initialDelayMs: 1000, maxDelayMs: 60_000 },
      outbox: { batchMessages: 100, inflightBatches: 4 },
      telemetryIntervalSeconds: 10,
    });
  });

  it('should list every bad field with its path under sync', () => {
    let error: unknown;
    try {
      parseSyncConfig({
        broker: { kind: 'local', url: 'http://x', username: 'u' },
        thingName: 'bad name',
        siteId: 'site-1',
        extra: 1,
        outbox: { batchMessages: 500 },
      });
    } catch (e) {
      error = e;
    }
    expect(AppError.match(error, 'config.invalid')).toBe(true);
    const paths = (error as AppError).details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'sync.broker.url',
        'sync.broker.password',
        'sync.thingName',
        'sync.outbox.batchMessages',
        'sync',
      ]),
    );
  });

  it('should refuse a maximum back-off below the initial one', () => {
    expect(() =>
      parseSyncConfig({
        broker: aws,
        thingName: 'gw',
        siteId: 's',
        reconnect: { initialDelayMs: 5000, maxDelayMs: 1000 },
      }),
    ).toThrow(/sync.reconnect.maxDelayMs/);
  });
});
