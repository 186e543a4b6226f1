import { describe, expect, it } from 'vitest';
import type { SiteCommand } from '../../../../shared/sync/site-commands';
import {
  createCentralSystemCommandExecutor,
  type ChargerCommandSender,
} from '../../../../edge/sync/central-system-command-executor';

const command = (body: SiteCommand['command']): SiteCommand => ({
  v: 1,
  commandId: 'cmd-00001',
  siteId: 's',
  issuedAt: 0,
  command: body,
});

function setup(answer: Awaited<ReturnType<ChargerCommandSender['command']>>) {
  const calls: [string, string, unknown][] = [];
  let reports = 0;
  const chargers: ChargerCommandSender = {
    command: (chargerId, name, request) => {
      calls.push([chargerId, name, request]);
      return Promise.resolve(answer as never);
    },
  };
  const executor = createCentralSystemCommandExecutor({
    chargers,
    openTransaction: (c, k) => (c === 'CP-1' && k === 1 ? 42 : undefined),
    reportNow: () => (reports += 1),
  });
  return { executor, calls, reports: () => reports };
}

describe('createCentralSystemCommandExecutor', () => {
  it.each([
    [
      { type: 'remoteStart', chargerId: 'CP-1', connectorId: 1, idTag: 'T1' },
      'RemoteStartTransaction',
      { connectorId: 1, idTag: 'T1' },
    ],
    [{ type: 'remoteStop', chargerId: 'CP-1', connectorId: 1 }, 'RemoteStopTransaction', { transactionId: 42 }],
    [{ type: 'reset', chargerId: 'CP-1', resetType: 'Soft' }, 'Reset', { type: 'Soft' }],
    [{ type: 'unlock', chargerId: 'CP-1', connectorId: 2 }, 'UnlockConnector', { connectorId: 2 }],
  ] as const)('should send %o as %s', async (body, name, request) => {
    const { executor, calls } = setup({ kind: 'accepted', response: { status: 'Accepted' } } as never);
    expect(await executor.execute(command(body))).toEqual({ status: 'done' });
    expect(calls).toEqual([['CP-1', name, request]]);
  });

  it.each([
    [{ kind: 'rejected', response: { status: 'Rejected' } }, 'rejected', 'chargerRejected'],
    [{ kind: 'timeout' }, 'failed', 'timeout'],
    [{ kind: 'notConnected' }, 'failed', 'notConnected'],
    [{ kind: 'error', code: 'NotImplemented', message: 'no' }, 'failed', 'error'],
  ] as const)('should turn a charger outcome %o into %s/%s', async (answer, status, reason) => {
    const { executor } = setup(answer);
    expect(await executor.execute(command({ type: 'reset', chargerId: 'CP-1', resetType: 'Hard' }))).toMatchObject({
      status,
      reason,
    });
  });

  it('should reject a remote stop without a session and queue a report on request', async () => {
    const { executor, calls, reports } = setup({ kind: 'accepted', response: { status: 'Accepted' } } as never);
    expect(await executor.execute(command({ type: 'remoteStop', chargerId: 'CP-1', connectorId: 2 }))).toMatchObject({
      status: 'rejected',
      reason: 'noSession',
    });
    expect(await executor.execute(command({ type: 'requestReport' }))).toEqual({ status: 'done' });
    expect(calls).toHaveLength(0);
    expect(reports()).toBe(1);
  });
});
