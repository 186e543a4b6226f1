import { describe, expect, it } from 'vitest';
import type { ChargerInput } from '../../../../edge/control/control-inputs';
import type { ChargerEvent } from '../../../../edge/ocpp/charger-events';
import { controlInput, feedControl } from '../../../../edge/ocpp/control-inputs';

const AT = Date.UTC(2026, 11, 2, 12);
const onTime = { at: AT, receivedAt: AT, source: 'charger' } as const;

const CONTROL_EVENTS: ChargerEvent[] = [
  { type: 'connected', chargerId: 'CP-1', at: AT, remoteAddress: '10.0.0.7' },
  { type: 'disconnected', chargerId: 'CP-1', at: AT, code: 1006, reason: '' },
  {
    type: 'configured',
    chargerId: 'CP-1',
    at: AT,
    capabilities: { rateUnit: 'A', maxStackLevel: 8, phaseRotation: undefined, numberOfConnectors: 2 },
    failSafeInstalled: true,
    rejectedKeys: [],
  },
  {
    type: 'status',
    chargerId: 'CP-1',
    at: AT,
    connectorId: 1,
    status: 'Charging',
    errorCode: 'NoError',
    info: undefined,
    vendorErrorCode: undefined,
  },
  {
    type: 'transactionStarted',
    chargerId: 'CP-1',
    at: AT,
    connectorId: 1,
    transactionId: 7,
    idTag: 'TAG',
    status: 'Accepted',
    vip: false,
    meterStartWh: 0,
    startedAt: onTime,
  },
  {
    type: 'transactionStopped',
    chargerId: 'CP-1',
    at: AT,
    transactionId: 7,
    idTag: undefined,
    meterStopWh: 900,
    reason: 'Local',
    sample: undefined,
    stoppedAt: onTime,
  },
  {
    type: 'meterValues',
    chargerId: 'CP-1',
    at: AT,
    connectorId: 1,
    transactionId: 7,
    sample: { at: AT, measurement: { amps: [16, 16, 16], at: AT } },
    sampledAt: onTime,
  },
];

const BOOT: ChargerEvent = {
  type: 'booted',
  chargerId: 'CP-1',
  at: AT,
  registration: 'Accepted',
  triggered: false,
  vendor: 'V',
  model: 'M',
  serialNumber: undefined,
  firmwareVersion: undefined,
};

const OTHER_EVENTS: ChargerEvent[] = [
  { ...BOOT, registration: 'Pending' },
  { type: 'heartbeat', chargerId: 'CP-1', at: AT },
  { type: 'authorized', chargerId: 'CP-1', at: AT, idTag: 'TAG', status: 'Accepted', vip: false },
  { type: 'connectionReplaced', chargerId: 'CP-1', at: AT, remoteAddress: undefined, previousAddress: undefined },
  { type: 'dataTransfer', chargerId: 'CP-1', at: AT, vendorId: 'acme', messageId: undefined, data: undefined },
  { type: 'diagnosticsStatus', chargerId: 'CP-1', at: AT, status: 'Idle' },
  { type: 'firmwareStatus', chargerId: 'CP-1', at: AT, status: 'Idle' },
];

describe('controlInput', () => {
  it.each(CONTROL_EVENTS.map((e) => [e.type, e] as const))('should pass on a %s event to control', (_type, event) => {
    expect(controlInput(event)).toBe(event);
  });

  it.each([false, true])('should pass on an accepted boot, triggered %s, with what control needs', (triggered) => {
    expect(controlInput({ ...BOOT, triggered })).toEqual({ type: 'booted', chargerId: 'CP-1', at: AT, triggered });
  });

  it.each(OTHER_EVENTS.map((e) => [e.type, e] as const))('should keep a %s event from control', (_type, event) => {
    expect(controlInput(event)).toBeUndefined();
  });
});

describe('feedControl', () => {
  it('should hand the sink only the events control acts on, in order', () => {
    // Arrange
    const received: ChargerInput[] = [];
    const listener = feedControl({ onChargerInput: (input) => received.push(input) });

    // Act
    for (const event of [...OTHER_EVENTS, ...CONTROL_EVENTS]) listener.onEvent(event);

    // Assert
    expect(received.map((input) => input.type)).toEqual(CONTROL_EVENTS.map((event) => event.type));
  });
});
