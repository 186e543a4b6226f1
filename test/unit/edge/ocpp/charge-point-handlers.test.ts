import { describe, expect, it, vi } from 'vitest';
import type { HandlerContext } from '../../../../edge/ocpp/charge-point-handler-context';
import { registerChargePointHandlers } from '../../../../edge/ocpp/charge-point-handlers';
import { ChargerClockCheck } from '../../../../edge/ocpp/charger-clock';

type Handler = (call: { params?: unknown }) => Promise<Record<string, unknown>>;

function registered(overrides: Partial<HandlerContext>): {
  handlers: Map<string, Handler>;
  log: { error: ReturnType<typeof vi.fn> };
} {
  const handlers = new Map<string, Handler>();
  const log = { error: vi.fn() };
  registerChargePointHandlers(
    { handle: (method, handler) => handlers.set(method, handler) },
    {
      chargerId: 'CP-1',
      chargerPhases: 3,
      registration: 'Accepted',
      heartbeatIntervalSeconds: 60,
      idTags: { authorize: () => Promise.resolve({ status: 'Accepted', vip: false }) },
      transactionIds: { next: () => Promise.resolve(1) },
      admission: { refusal: () => undefined },
      events: { onEvent: () => {} },
      log,
      now: () => 0,
      bootTriggered: () => false,
      onBootAccepted: () => {},
      clock: new ChargerClockCheck({ warn: () => {}, info: () => {} }),
      ...overrides,
    },
  );
  return { handlers, log };
}

describe('charge point handlers', () => {
  const START = { connectorId: 2, idTag: 'TAG', meterStart: 0, timestamp: '2025-01-01T00:00:00Z' };

  it('should answer a transaction the site cannot control Invalid, with a transaction id, and tell the control loop so', async () => {
    // Arrange
    const events: unknown[] = [];
    const asked: unknown[] = [];
    const { handlers } = registered({
      transactionIds: { next: () => Promise.resolve(7) },
      admission: {
        refusal: (start) => (
          asked.push(start), { reason: 'event.adoptionRefused.beyondReported', params: { connectorId: 2, reported: 1 } }
        ),
      },
      events: { onEvent: (e) => events.push(e) },
    });

    // Act
    const answer = await handlers.get('StartTransaction')!({ params: START });

    // Assert
    expect(answer).toEqual({ transactionId: 7, idTagInfo: { status: 'Invalid' } });
    expect(asked).toEqual([{ chargerId: 'CP-1', connectorId: 2, transactionId: 7, at: 0 }]);
    expect(events).toEqual([
      expect.objectContaining({ type: 'transactionStarted', connectorId: 2, transactionId: 7, status: 'Invalid' }),
    ]);
  });

  it('should log an unexpected failure and answer a bare InternalError', async () => {
    // Arrange
    const failure = new Error('disk I/O error');
    const { handlers, log } = registered({ transactionIds: { next: () => Promise.reject(failure) } });

    // Act
    const answer = handlers.get('StartTransaction')!({
      params: { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: '2025-01-01T00:00:00Z' },
    });

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
