/** Starts the central system as the configuration says; the demo may take a free port when the configured one is taken. */
import { AppError } from '../../shared/errors';
import type { EdgeConfig } from '../config/edge-config-schema';
import type { CentralSystem, CentralSystemDeps } from './central-system-contract';
import { createCentralSystem } from './central-system-server';
import { readTlsFiles } from './tls-files';

export interface ListenSettings {
  readonly nominalVolts: number;
  /** When the configured port is taken, listen on a free one instead of failing (the demo). */
  readonly portFallback: boolean;
}

/** Listens on `ocpp.host`:`ocpp.port`, with wss when `ocpp.tls` names a certificate. */
export async function listenOcpp(
  deps: CentralSystemDeps,
  config: EdgeConfig['ocpp'],
  settings: ListenSettings,
): Promise<CentralSystem> {
  const { tls: tlsFiles, ...ocpp } = config;
  const tls = tlsFiles && readTlsFiles(tlsFiles);
  const listen = (port: number) =>
    createCentralSystem(deps, { ...ocpp, port, ...(tls && { tls }), nominalVolts: settings.nominalVolts });
  try {
    return await listen(ocpp.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (!settings.portFallback) {
      throw new AppError(
        'resource.conflict',
        `OCPP port ${ocpp.port} on ${ocpp.host} is already in use (ocpp.port)`,
        [],
        { cause: error },
      );
    }
    deps.logger.warn({ port: ocpp.port }, 'OCPP port taken; listening on a free port instead');
    return listen(0);
  }
}
