import { createRPCError, TimeoutError } from 'ocpp-rpc';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { sendCommand, type RpcCaller } from '../../../../edge/ocpp/command-sender';

const answering = (answer: () => Promise<unknown>): RpcCaller & { calls: unknown[][] } => {
  const calls: unknown[][] = [];
  return { calls, call: (...args) => (calls.push(args), answer()) };
};

describe('sendCommand', () => {
  it('should send the request with the timeout and report acceptance', async () => {
    const peer = answering(() => Promise.resolve({ status: 'Accepted' }));

    const result = await sendCommand(peer, 'ChangeAvailability', { connectorId: 0, type: 'Operative' }, 1234);

    expect(result).toEqual({ kind: 'accepted', response: { status: 'Accepted' } });
    expect(peer.calls).toEqual([
      ['ChangeAvailability', { connectorId: 0, type: 'Operative' }, { callTimeoutMs: 1234 }],
    ]);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['a refusal', () => Promise.resolve({ status: 'NotSupported' }), 'rejected'],
    ['an unlock failure', () => Promise.resolve({ status: 'UnlockFailed' }), 'rejected'],
    ['a timeout', () => Promise.reject(new TimeoutError('Call timeout')), 'timeout'],
    ['a CALLERROR', () => Promise.reject(createRPCError('NotSupported', 'nope') as Error), 'error'],
    ['an unreadable answer', () => Promise.resolve({ status: 'Maybe' }), 'error'],
    ['a dropped connection', () => Promise.reject(new Error('Client disconnected')), 'notConnected'],
  ])('should type %s', async (_name, answer, kind) => {
    const result = await sendCommand(answering(answer), 'UnlockConnector', { connectorId: 1 });

    expect(result.kind).toBe(kind);
  });

  it('should say not connected without a peer', async () => {
    expect(await sendCommand(undefined, 'Reset', { type: 'Soft' })).toEqual({ kind: 'notConnected' });
  });

  it('should count GetConfiguration answers, which carry no status, as accepted', async () => {
    const result = await sendCommand(
      answering(() => Promise.resolve({ configurationKey: [{ key: 'A', readonly: true, value: '1' }] })),
      'GetConfiguration',
      {},
    );

    expect(result.kind).toBe('accepted');
  });

  it('should throw for a request that is our own bug, before sending anything', async () => {
    const peer = answering(() => Promise.resolve({ status: 'Accepted' }));

    await expect(sendCommand(peer, 'UnlockConnector', { connectorId: -1 })).rejects.toSatisfy((e) =>
      AppError.match(e, 'message.invalid'),
    );
    expect(peer.calls).toEqual([]);
  });
});
