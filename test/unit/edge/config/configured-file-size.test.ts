/**
 * Issue 12 (size limits on config files): the files the configuration names are read with a bound, as the
 * configuration itself is: OCPP TLS certificate and key, the broker's CA, certificate and key (1 MiB each), and the
 * configuration (4 MiB) even when it is a device that never ends, whose size `stat` gives as 0.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { loadEdgeConfig } from '../../../../edge/config/load-config';
import { MAX_PEM_MIB, readBoundedFile } from '../../../../edge/config/read-bounded-file';
import { readTlsFiles } from '../../../../edge/ocpp/tls-files';
import { mqttConnectSettings } from '../../../../edge/sync/mqtt-options';
import { parseSyncConfig } from '../../../../edge/sync/sync-config';

const MiB = 1024 * 1024;

function configError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (AppError.match(error, 'config.invalid')) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('files the configuration names: size limits', () => {
  let dir: string;
  let small: string;
  let huge: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-files-'));
    small = path.join(dir, 'small.pem');
    huge = path.join(dir, 'huge.pem');
    writeFileSync(small, '-----BEGIN CERTIFICATE-----\n');
    writeFileSync(huge, Buffer.alloc(MAX_PEM_MIB * MiB + 1, 0x41));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should refuse an OCPP TLS key over 1 MiB, naming the field, and read one within it', () => {
    const error = configError(() => readTlsFiles({ certPath: small, keyPath: huge }));

    expect(error.details).toEqual([{ path: 'ocpp.tls.keyPath', message: `cannot read ${huge}: larger than 1 MiB` }]);
    expect(readTlsFiles({ certPath: small, keyPath: small }).cert.toString()).toBe('-----BEGIN CERTIFICATE-----\n');
  });

  it("should refuse a broker CA over 1 MiB, naming the field, with the reader the agent's root passes", () => {
    const config = parseSyncConfig({
      siteId: 'site-1',
      thingName: 'gw-1',
      broker: { kind: 'local', url: 'mqtts://127.0.0.1:8883', username: 'gw-1', password: 'secret', caPath: huge },
    });

    const error = configError(() => mqttConnectSettings(config, (file) => readBoundedFile(file, MAX_PEM_MIB)));

    expect(error.details).toEqual([{ path: 'sync.broker.caPath', message: `cannot read ${huge}: larger than 1 MiB` }]);
  });

  it('should refuse a configuration that is a device without end after 4 MiB, not read it until memory runs out', () => {
    expect(() => loadEdgeConfig('/dev/zero')).toThrow(/larger than 4 MiB/);
  });
});
