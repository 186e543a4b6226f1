/** Reads and validates the configuration file at start-up; relative paths in it are resolved against its folder. */
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validation';
import { EdgeConfigSchema, type EdgeConfig } from './edge-config-schema';
import { readBoundedFile, unreadableReason } from './read-bounded-file';

/** Validates an already parsed JSON value; throws `config.invalid` with every bad field. */
export function parseEdgeConfig(input: unknown, baseDir: string): EdgeConfig {
  const config = parseOrThrow(EdgeConfigSchema, input, 'config.invalid', 'configuration');
  const resolve = (p: string) => path.resolve(baseDir, p);
  return {
    ...config,
    dataDir: resolve(config.dataDir),
    ocpp: {
      ...config.ocpp,
      ...(config.ocpp.tls && {
        tls: { certPath: resolve(config.ocpp.tls.certPath), keyPath: resolve(config.ocpp.tls.keyPath) },
      }),
    },
    ...(config.sync && { sync: { ...config.sync, broker: resolveBrokerFiles(config.sync.broker, resolve) } }),
    ...(config.upstream?.tls && {
      upstream: {
        ...config.upstream,
        tls: {
          ...(config.upstream.tls.caPath !== undefined && { caPath: resolve(config.upstream.tls.caPath) }),
          ...(config.upstream.tls.certPath !== undefined && { certPath: resolve(config.upstream.tls.certPath) }),
          ...(config.upstream.tls.keyPath !== undefined && { keyPath: resolve(config.upstream.tls.keyPath) }),
        },
      },
    }),
    ...(config.cluster && {
      cluster: {
        ...config.cluster,
        ...(config.cluster.leaderFlagFile !== undefined && { leaderFlagFile: resolve(config.cluster.leaderFlagFile) }),
        ...(config.cluster.peer && {
          peer: { ...config.cluster.peer, secretFile: resolve(config.cluster.peer.secretFile) },
        }),
      },
    }),
  };
}

/** The broker's certificate, key and CA files, resolved like every other path. */
function resolveBrokerFiles(
  broker: NonNullable<EdgeConfig['sync']>['broker'],
  resolve: (p: string) => string,
): NonNullable<EdgeConfig['sync']>['broker'] {
  if (broker.kind === 'aws-iot')
    return {
      ...broker,
      certPath: resolve(broker.certPath),
      keyPath: resolve(broker.keyPath),
      caPath: resolve(broker.caPath),
    };
  return { ...broker, ...(broker.caPath !== undefined && { caPath: resolve(broker.caPath) }) };
}

/** A site of 1,000 chargers with passwords fits in well under 1 MiB: a larger file is a mistake, not read. */
const MAX_CONFIG_MIB = 4;

/** Reads `file` as JSON and validates it. */
export function loadEdgeConfig(file: string): EdgeConfig {
  let text: string;
  try {
    text = readBoundedFile(file, MAX_CONFIG_MIB).toString('utf8');
  } catch (error) {
    const reason = unreadableReason(error);
    const message = AppError.match(error, 'config.invalid')
      ? `configuration file ${file} is ${reason}`
      : `cannot read configuration file ${file}: ${reason}`;
    throw new AppError('config.invalid', message, [], { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = `not valid JSON: ${(error as Error).message}`;
    throw new AppError('config.invalid', `invalid configuration ${file}: ${message}`, [{ path: '(root)', message }], {
      cause: error,
    });
  }
  return parseEdgeConfig(json, path.dirname(path.resolve(file)));
}
