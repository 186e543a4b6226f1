import { describe, expect, it } from 'vitest';
import type { EventBody } from '../../../../shared/sync/sync-messages';
import { EventBodySchema } from '../../../../shared/sync/sync-messages';
import type { ChargerEvent } from '../../../../edge/ocpp/charger-events';
import { ChargerLifecycleEvents } from '../../../../edge/sync/charger-lifecycle-events';
import type { OutboxProducer } from '../../../../edge/sync/outbox';
import { ManualClock } from '../../../../sim/charger/sim-clock';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function harness(options: { burst?: number; windowMs?: number } = {}) {
  const clock = new ManualClock();
  const sent: { body: EventBody; at: number }[] = [];
  const outbox: OutboxProducer = {
    enqueue: (stream, body, at) => {
      expect(stream).toBe('events');
      const parsed = EventBodySchema.parse(body);
      sent.push({ body: parsed, at: at ?? clock.now() });
      return { ok: true, messageId: `m${sent.length}` };
    },
  };
  const lifecycle = new ChargerLifecycleEvents(outbox, {
    clock,
    log: silent,
    burst: options.burst ?? 6,
    windowMs: options.windowMs ?? 60_000,
  });
  const at = () => clock.now();
  const status = (chargerId: string, status: string, errorCode = 'NoError', connectorId = 1) =>
    ({
      type: 'status',
      chargerId,
      at: at(),
      connectorId,
      status,
      errorCode,
      info: undefined,
      vendorErrorCode: undefined,
    }) as ChargerEvent;
  const connected = (chargerId: string): ChargerEvent => ({
    type: 'connected',
    chargerId,
    at: at(),
    remoteAddress: '10.0.0.7',
  });
  const disconnected = (chargerId: string): ChargerEvent => ({
    type: 'disconnected',
    chargerId,
    at: at(),
    code: 1006,
    reason: '',
  });
  const booted = (chargerId: string): ChargerEvent => ({
    type: 'booted',
    chargerId,
    at: at(),
    registration: 'Accepted',
    triggered: false,
    vendor: 'ABB',
    model: 'Terra AC',
    serialNumber: 'SN-1',
    firmwareVersion: '1.2.3',
  });
  return { clock, sent, lifecycle, status, connected, disconnected, booted, kinds: () => sent.map((s) => s.body.kind) };
}

describe('ChargerLifecycleEvents', () => {
  it('should send connect, boot and disconnect as valid site events of the charger', () => {
    const h = harness();
    h.lifecycle.onEvent(h.connected('CP-1'));
    h.lifecycle.onEvent(h.booted('CP-1'));
    h.lifecycle.onEvent(h.disconnected('CP-1'));
    expect(h.sent.map((s) => s.body)).toEqual([
      {
        kind: 'charger.connected',
        severity: 'info',
        message: 'charger CP-1 connected from 10.0.0.7',
        reason: 'siteEvent.connectedFrom',
        params: { charger: 'CP-1', address: '10.0.0.7' },
        chargerId: 'CP-1',
        details: { remoteAddress: '10.0.0.7' },
      },
      {
        kind: 'charger.booted',
        severity: 'info',
        message: 'charger CP-1 booted: ABB Terra AC, firmware 1.2.3 (accepted)',
        reason: 'siteEvent.bootedFirmware',
        params: {
          charger: 'CP-1',
          vendor: 'ABB',
          model: 'Terra AC',
          registration: { ref: 'event.registration.Accepted' },
          firmware: '1.2.3',
        },
        chargerId: 'CP-1',
        details: {
          registration: 'Accepted',
          vendor: 'ABB',
          model: 'Terra AC',
          serialNumber: 'SN-1',
          firmwareVersion: '1.2.3',
        },
      },
      {
        kind: 'charger.disconnected',
        severity: 'warning',
        message: 'charger CP-1 disconnected (code 1006)',
        reason: 'siteEvent.disconnectedCode',
        params: { charger: 'CP-1', code: '1006' },
        chargerId: 'CP-1',
        details: { code: 1006 },
      },
    ]);
  });

  it('should send a fault once (Faulted is critical, an error code while charging a warning) and its recovery', () => {
    const h = harness();
    h.lifecycle.onEvent(h.status('CP-1', 'Available'));
    h.lifecycle.onEvent(h.status('CP-1', 'Faulted', 'GroundFailure'));
    h.lifecycle.onEvent(h.status('CP-1', 'Faulted', 'GroundFailure'));
    h.lifecycle.onEvent(h.status('CP-1', 'Charging', 'HighTemperature', 2));
    h.lifecycle.onEvent(h.status('CP-1', 'Available'));
    h.lifecycle.onEvent(h.status('CP-1', 'Available'));
    expect(h.sent.map((s) => [s.body.kind, s.body.severity, s.body.details?.connectorId])).toEqual([
      ['charger.faulted', 'critical', 1],
      ['charger.faulted', 'warning', 2],
      ['charger.recovered', 'info', 1],
    ]);
    expect(h.sent[0]!.body).toMatchObject({
      message: 'charger CP-1 connector 1 faulted: GroundFailure',
      details: { status: 'Faulted', errorCode: 'GroundFailure' },
    });
  });

  it('should ignore the other charger events (heartbeats, meter values, transactions)', () => {
    const h = harness();
    h.lifecycle.onEvent({ type: 'heartbeat', chargerId: 'CP-1', at: 0 });
    expect(h.sent).toEqual([]);
  });

  it('should bound a flapping charger: a burst, then the latest of each kind once the window ends, with a count', () => {
    const h = harness({ burst: 4, windowMs: 60_000 });
    for (let i = 0; i < 20; i++) {
      h.lifecycle.onEvent(h.connected('CP-1'));
      h.clock.advance(500);
      h.lifecycle.onEvent(h.disconnected('CP-1'));
      h.clock.advance(500);
    }
    h.lifecycle.onEvent(h.connected('CP-2'));
    expect(h.kinds()).toEqual([
      'charger.connected',
      'charger.disconnected',
      'charger.connected',
      'charger.disconnected',
      'charger.connected',
    ]);

    h.clock.advance(40_000);
    const flushed = h.sent.slice(5);
    expect(flushed.map((s) => [s.body.kind, s.body.details?.coalesced])).toEqual([
      ['charger.connected', 18],
      ['charger.disconnected', 18],
    ]);
    expect(flushed[1]!.at).toBe(Date.UTC(2025, 0, 1, 12) + 19_500);
    expect(flushed[1]!.body.message).toContain('18 in 60 s');

    h.lifecycle.onEvent(h.connected('CP-1'));
    expect(h.kinds().at(-1)).toBe('charger.connected');
  });

  it('should send what it holds when stopped, and nothing after', () => {
    const h = harness({ burst: 1 });
    h.lifecycle.onEvent(h.connected('CP-1'));
    h.lifecycle.onEvent(h.disconnected('CP-1'));
    h.lifecycle.stop();
    h.lifecycle.onEvent(h.connected('CP-1'));
    h.clock.advance(120_000);
    expect(h.kinds()).toEqual(['charger.connected', 'charger.disconnected']);
  });
});
