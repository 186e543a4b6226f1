/**
 * Boundary fuzz: OCPP-J frames. A real ocpp-rpc charge point sends generated frames (CALLs of every action the
 * central system handles and of unknown ones, with payloads mutated from valid ones or any JSON; CALLRESULTs and
 * CALLERRORs nobody asked for; arrays, objects, numbers and text that are not frames). Every CALL with a usable id
 * gets its answer (a result or a precise CALLERROR) unless the charger was disconnected for flooding bad frames; the
 * central system never crashes, and another charger's heartbeats are answered throughout.
 */
import fc from 'fast-check';
import type { RPCClient } from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';
import { rawChargePoint } from './support/raw-charge-point';
import { anyValue, mutated } from '../../support/fuzz-inputs';

const FUZZER = { id: 'CP-FUZZ', password: 'fuzz-password-123', phases: 3 as const, maxAmps: 32 };
const HEALTHY = { id: 'CP-HEALTHY', password: 'healthy-password-456', phases: 3 as const, maxAmps: 32 };
const FRAMES = 300;
const NOW = '2026-12-02T10:00:00.000Z';

/** A valid payload per action a charge point sends; the fuzzer mutates them. */
const VALID: Record<string, Record<string, unknown>> = {
  BootNotification: { chargePointVendor: 'Fuzz', chargePointModel: 'F1' },
  Heartbeat: {},
  StatusNotification: { connectorId: 1, errorCode: 'NoError', status: 'Available' },
  Authorize: { idTag: 'TAG-1' },
  StartTransaction: { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: NOW },
  StopTransaction: { transactionId: 1, meterStop: 10, timestamp: NOW },
  MeterValues: {
    connectorId: 1,
    transactionId: 1,
    meterValue: [
      { timestamp: NOW, sampledValue: [{ value: '10', measurand: 'Current.Import', phase: 'L1', unit: 'A' }] },
    ],
  },
  DataTransfer: { vendorId: 'fuzz', data: 'x' },
  DiagnosticsStatusNotification: { status: 'Idle' },
  FirmwareStatusNotification: { status: 'Idle' },
};
const ACTIONS = Object.keys(VALID);

const callId = fc.oneof(
  fc.uuid(),
  fc.string({ minLength: 1, maxLength: 36 }).filter((s) => s.trim().length > 0),
);
type Fuzz = { readonly frame: string; readonly answerTo?: string };
const call = fc.oneof(
  fc
    .tuple(callId, fc.constantFrom(...ACTIONS))
    .chain(([id, action]) => mutated(VALID[action]!).map((payload) => ({ id, action, payload }))),
  fc.tuple(callId, fc.constantFrom(...ACTIONS), anyValue).map(([id, action, payload]) => ({ id, action, payload })),
  fc
    .tuple(callId, fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }))
    .map(([id, action, payload]) => ({ id, action, payload })),
);
const fuzzFrame: fc.Arbitrary<Fuzz> = fc.oneof(
  {
    weight: 6,
    arbitrary: call.map(({ id, action, payload }) => ({
      frame: JSON.stringify([2, id, action, payload]),
      answerTo: id,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(callId, fc.jsonValue({ maxDepth: 2 }))
      .map(([id, payload]) => ({ frame: JSON.stringify([3, id, payload]) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(callId, fc.string(), fc.string(), fc.jsonValue({ maxDepth: 1 }))
      .map(([id, code, text, details]) => ({ frame: JSON.stringify([4, id, code, text, details]) })),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ frame: JSON.stringify(value) ?? 'null' })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: -5, max: 10 }), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 6 }))
      .map(([type, rest]) => ({ frame: JSON.stringify([type, ...rest]) })),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ frame: text })) },
);

/** The reply to `id`, or why none came: the connection closed, or nothing within `withinMs`. */
function replyTo(
  client: RPCClient,
  id: string,
  withinMs: number,
): Promise<{ kind: 'reply'; frame: unknown[] } | { kind: 'closed'; code: number } | { kind: 'none' }> {
  return new Promise((resolve) => {
    const done = (result: Parameters<typeof resolve>[0]) => {
      clearTimeout(timer);
      client.off('message', onMessage);
      client.off('close', onClose);
      resolve(result);
    };
    const onMessage = ({ message, outbound }: { message: string | Buffer; outbound: boolean }) => {
      if (outbound) return;
      const frame = JSON.parse(String(message)) as unknown[];
      if ((frame[0] === 3 || frame[0] === 4) && frame[1] === id) done({ kind: 'reply', frame });
    };
    const onClose = ({ code }: { code: number }) => done({ kind: 'closed', code });
    const timer = setTimeout(() => done({ kind: 'none' }), withinMs);
    client.on('message', onMessage);
    client.on('close', onClose);
  });
}

describe('OCPP frame boundary fuzz', () => {
  let fixture: Fixture;
  let healthy: RPCClient;
  beforeAll(async () => {
    fixture = await startCentralSystem([FUZZER, HEALTHY], { unknownChargers: 'Pending' });
    healthy = rawChargePoint({ endpoint: fixture.cs.url, identity: HEALTHY.id, password: HEALTHY.password });
    await healthy.connect();
  });
  afterAll(async () => {
    await healthy.close({ force: true });
    await fixture.close();
  });

  it(`should answer every CALL among ${FRAMES} generated frames, or drop only the flooding charger, and keep the other charger served`, async () => {
    // Arrange
    const frames = fc.sample(fuzzFrame, { numRuns: FRAMES, seed: 42 });
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    const unanswered: string[] = [];
    const closeCodes = new Set<number>();
    let answered = 0;
    let fuzzer: RPCClient | undefined;

    // Act
    try {
      for (const [k, { frame, answerTo }] of frames.entries()) {
        if (fuzzer === undefined) {
          fuzzer = rawChargePoint({
            endpoint: fixture.cs.url,
            identity: FUZZER.id,
            password: FUZZER.password,
            strictMode: false,
          });
          await fuzzer.connect();
        }
        // A heartbeat probe after the frame shows the central system has handled it (frames are handled in order).
        const probeId = `probe-${k}`;
        const answer = answerTo === undefined ? undefined : replyTo(fuzzer, answerTo, 2_000);
        const probe = replyTo(fuzzer, probeId, 2_000);
        fuzzer.sendRaw(frame);
        if (fuzzer.state === 1) fuzzer.sendRaw(JSON.stringify([2, probeId, 'Heartbeat', {}]));
        const [reply, probed] = await Promise.all([answer, probe]);
        if (reply?.kind === 'reply') answered++;
        if (reply?.kind === 'none') unanswered.push(frame.slice(0, 200));
        const closed = reply?.kind === 'closed' ? reply : probed.kind === 'closed' ? probed : undefined;
        if (closed !== undefined) {
          closeCodes.add(closed.code);
          await fuzzer.close({ force: true });
          fuzzer = undefined;
        }
        if (k % 25 === 0) expect(await healthy.call('Heartbeat', {})).toHaveProperty('currentTime');
      }
    } finally {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      await fuzzer?.close({ force: true });
    }

    // Assert
    expect(crashes).toEqual([]);
    expect(unanswered).toEqual([]);
    expect(answered).toBeGreaterThan(FRAMES / 3);
    expect([...closeCodes].filter((code) => code !== 1002 && code !== 1009)).toEqual([]);
    expect(fixture.cs.connectedChargers()).toContain(HEALTHY.id);
    expect(await healthy.call('Heartbeat', {})).toHaveProperty('currentTime');
  }, 120_000);
});
