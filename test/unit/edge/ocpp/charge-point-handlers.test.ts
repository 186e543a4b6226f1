import { describe, expect, it, vi } from 'vitest';
import { registerChargePointHandlers, type HandlerContext } from '../../../../edge/ocpp/charge-point-handlers';

type Handler = (call: { params?: unknown }) => Promise<Record<string, unknown>>;

function registered(overrides: Partial<HandlerContext>): { handlers: Map<string, Handler>; log: { error: ReturnType<typeof vi.fn> } } {
  const handlers = new Map<string, Handler>();
  const log = { error: vi.fn() };
  registerChargePointHandlers({ handle: (method, handler) => handlers.set(method, handler) }, {
    chargerId: 'CP-1', chargerPhases: 3, registration: 'Accepted', heartbeatIntervalSeconds: 60,
    idTags: { authorize: () => Promise.resolve({ status: 'Accepted', vip: false }) },
    transactionIds: { next: () => Promise.resolve(1) },
    events: { onEvent: () => {} },
    log, now: () => 0, onBootAccepted: () => {},
    ...overrides,
  });
  return { handlers, log };
}

describe('charge point handlers', () => {
  it('should log an unexpected failure and answer a bare InternalError', async () => {
    // Arrange
    const failure = new Error('disk I/O error');
    const { handlers, log } = registered({ transactionIds: { next: () => Promise.reject(failure) } });

    // Act
    const answer = handlers.get('StartTransaction')!({ params: { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: '2025-01-01T00:00:00Z' } });

    // Assert
    await expect(answer).rejects.toMatchObject({ rpcErrorCode: 'InternalError', message: 'internal error' });
    expect(log.error).toHaveBeenCalledWith({ err: failure, method: 'StartTransaction' }, 'ocpp handler failed');
  });

  it('should answer invalid input with its CALLERROR without logging it as a failure', async () => {
    // Arrange
    const { handlers, log } = registered({});

    // Act
    const answer = handlers.get('MeterValues')!({ params: { connectorId: -1, meterValue: [] } });

    // Assert
    await expect(answer).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    expect(log.error).not.toHaveBeenCalled();
  });
});
