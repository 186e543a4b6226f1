/** CommandExecutor on the central system: cloud commands become OCPP calls to the charger; `requestReport` queues a fresh sample. */
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { SiteCommand, SiteCommandOutcome } from '../../shared/sync/site-commands';
import type { CommandName, CommandRequest } from '../ocpp/central-system-commands';
import type { CommandResult } from '../ocpp/command-sender';
import type { CommandExecutor } from './sync-ports';

/** The slice of the central system (edge/ocpp CentralSystem) this executor needs. */
export interface ChargerCommandSender {
  command<K extends CommandName>(chargerId: string, name: K, request: CommandRequest<K>): Promise<CommandResult<K>>;
}

export interface CentralSystemCommandExecutorDeps {
  readonly chargers: ChargerCommandSender;
  /** The open transaction on a connector (the session store's open sessions). */
  readonly openTransaction: (chargerId: string, connectorId: number) => number | undefined;
  /** Queues a telemetry sample and charger statuses now (ControlOutboxObserver.reportNow and TriggerMessage). */
  readonly reportNow: () => void;
}

export function createCentralSystemCommandExecutor(deps: CentralSystemCommandExecutorDeps): CommandExecutor {
  return {
    async execute(command: SiteCommand): Promise<SiteCommandOutcome> {
      const body = command.command;
      switch (body.type) {
        case 'remoteStart':
          return outcome(
            await deps.chargers.command(body.chargerId, 'RemoteStartTransaction', {
              connectorId: body.connectorId,
              idTag: body.idTag,
            }),
          );
        case 'remoteStop': {
          const transactionId = deps.openTransaction(body.chargerId, body.connectorId);
          if (transactionId === undefined)
            return {
              status: 'rejected',
              reason: 'noSession',
              message: `no session on ${formatConnectorRef(body.chargerId, body.connectorId)}`,
            };
          return outcome(await deps.chargers.command(body.chargerId, 'RemoteStopTransaction', { transactionId }));
        }
        case 'reset':
          return outcome(await deps.chargers.command(body.chargerId, 'Reset', { type: body.resetType }));
        case 'unlock':
          return outcome(
            await deps.chargers.command(body.chargerId, 'UnlockConnector', { connectorId: body.connectorId }),
          );
        case 'requestReport':
          deps.reportNow();
          return { status: 'done' };
      }
    },
  };
}

function outcome(result: CommandResult<CommandName>): SiteCommandOutcome {
  switch (result.kind) {
    case 'accepted':
      return { status: 'done' };
    case 'rejected':
      return {
        status: 'rejected',
        reason: 'chargerRejected',
        message: `the charger answered ${JSON.stringify(result.response).slice(0, 200)}`,
      };
    case 'timeout':
      return { status: 'failed', reason: 'timeout', message: 'the charger did not answer in time' };
    case 'notConnected':
      return { status: 'failed', reason: 'notConnected', message: 'the charger is not connected' };
    case 'error':
      return { status: 'failed', reason: 'error', message: `${result.code}: ${result.message}`.slice(0, 500) };
  }
}
