/**
 * One OCPP call to a charger for the dashboard, through the central system's command path: the charger's answer when
 * it gave one (Accepted, Rejected, NotSupported, …), or a precise refusal when it could not: not connected (409), no
 * answer in time (504), a CALLERROR (502).
 */
import { AppError } from '../../../shared/errors';
import type { CommandName, CommandRequest, CommandResponse } from '../../ocpp/central-system-commands';
import type { ChargerCommands } from '../dashboard-ports';

/** Sends `name` to `chargerId` and answers its response, accepted or not; throws AppError when there is none. */
export async function callCharger<K extends CommandName>(
  commands: ChargerCommands,
  chargerId: string,
  name: K,
  request: CommandRequest<K>,
): Promise<CommandResponse<K>> {
  const result = await commands.command(chargerId, name, request);
  switch (result.kind) {
    case 'accepted':
    case 'rejected':
      return result.response;
    case 'notConnected':
      throw new AppError('resource.conflict', `charger "${chargerId}" is not connected: ${name} needs it online`);
    case 'timeout':
      throw new AppError('charger.timeout', `charger "${chargerId}" did not answer ${name} in time`);
    case 'error':
      throw new AppError('charger.rejected', `charger "${chargerId}" answered ${name} with an error (${result.code})`);
  }
}
