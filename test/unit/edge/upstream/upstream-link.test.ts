/** The upstream link's own reconnect loop, on a manual clock, against a real port (refused, then an ocpp-rpc server). */
import ocppRpc, { type RPCClient, RPCServer } from 'ocpp-rpc';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamLink } from '../../../../edge/upstream/upstream-link';
import { ManualClock } from '../../../../sim/charger/sim-clock';
import { eventually } from '../../../support/eventually';
import { restartPort } from '../../../support/restart-port';

const { TimeoutError } = ocppRpc;

class RecordingClock extends ManualClock {
  readonly delays: number[] = [];
  override after(ms: number, fn: () => void): () => void {
    this.delays.push(ms);
    return super.after(ms, fn);
  }
}

/** A link for charger `chargerId` to a CSMS on loopback `port`, on `clock`, retrying within 100 to 400 ms. */
function linkTo(port: number, clock: ManualClock, options: { chargerId?: string; onLost?: () => void } = {}) {
  return new UpstreamLink(
    {
      chargerId: options.chargerId ?? 'CP-1',
      endpoint: { url: `ws://127.0.0.1:${port}/csms`, password: undefined },
      tls: undefined,
      reconnect: { initialDelayMs: 100, maxDelayMs: 400 },
      maxFrameBytes: 65_536,
    },
    {
      clock,
      random: () => 0.5,
      log: pino({ level: 'silent' }),
      onCall: () => Promise.resolve({}),
      onOpen: () => undefined,
      onLost: options.onLost ?? (() => undefined),
    },
  );
}

describe('UpstreamLink', () => {
  let link: UpstreamLink | undefined;
  let server: RPCServer | undefined;
  afterEach(async () => {
    await link?.close();
    await server?.close({ force: true });
    link = server = undefined;
  });

  it('should retry with full-jitter delays under a doubling cap, start over once a connection succeeds, and report its loss', async () => {
    // Arrange
    const port = await restartPort();
    const clock = new RecordingClock();
    const identities: string[] = [];
    let lost = 0;
    link = linkTo(port, clock, { chargerId: 'CP 1', onLost: () => lost++ });

    // Act: four refused attempts, then the CSMS listens
    link.start();
    for (let attempt = 1; attempt <= 4; attempt++) {
      await eventually(`retry ${attempt} scheduled`, () => clock.delays.length === attempt);
      if (attempt < 4) clock.advance(1_000);
    }
    server = new RPCServer({ protocols: ['ocpp1.6'] });
    server.on('client', (client: { identity: string }) => identities.push(client.identity));
    await server.listen(port, '127.0.0.1');
    clock.advance(1_000);
    await eventually('open', () => link?.isOpen ?? false);
    await server.close({ force: true });
    await eventually('retry after a loss scheduled', () => clock.delays.length === 5);

    // Assert
    expect(clock.delays).toEqual([50, 100, 200, 200, 50]);
    expect(identities).toEqual(['CP 1']);
    // Refused attempts are no loss; the open link closed by the CSMS is one.
    expect(lost).toBe(1);
  });

  it('should give up a call the CSMS does not answer when the injected clock says so, and send the next one', async () => {
    // Arrange: a CSMS that never answers its first Heartbeat
    const port = await restartPort();
    const clock = new ManualClock();
    server = new RPCServer({ protocols: ['ocpp1.6'] });
    let heartbeats = 0;
    server.on('client', (client: RPCClient) =>
      client.handle('Heartbeat', () =>
        ++heartbeats === 1 ? new Promise(() => undefined) : Promise.resolve({ currentTime: '2026-12-03T05:00:00Z' }),
      ),
    );
    await server.listen(port, '127.0.0.1');
    link = linkTo(port, clock);
    link.start();
    await eventually('open', () => link?.isOpen ?? false);

    // Act: an hour of the machine's clock would not matter; 30 s of the injected one does
    const first = link.call('Heartbeat', {}, 30_000).catch((error: unknown) => error);
    await eventually('received', () => heartbeats === 1);
    clock.advance(29_999);
    const stillWaiting = await Promise.race([first, Promise.resolve('waiting')]);
    clock.advance(1);
    const outcome = await first;
    const second = await link.call('Heartbeat', {}, 30_000);

    // Assert
    expect(stillWaiting).toBe('waiting');
    expect(outcome).toBeInstanceOf(TimeoutError);
    expect(second).toEqual({ currentTime: '2026-12-03T05:00:00Z' });
  });

  it('should time a call that waited behind another from when it is sent, so a CSMS that never answers it cannot hold the link', async () => {
    // Arrange: a CSMS that answers the first Heartbeat only when told, never the second, and the third at once
    const port = await restartPort();
    const clock = new ManualClock();
    server = new RPCServer({ protocols: ['ocpp1.6'] });
    let heartbeats = 0;
    let answerFirst: (() => void) | undefined;
    const answer = { currentTime: '2026-12-03T05:00:00Z' };
    server.on('client', (client: RPCClient) =>
      client.handle('Heartbeat', () => {
        heartbeats++;
        if (heartbeats === 1) return new Promise((resolve) => (answerFirst = () => resolve(answer)));
        return heartbeats === 2 ? new Promise(() => undefined) : Promise.resolve(answer);
      }),
    );
    await server.listen(port, '127.0.0.1');
    link = linkTo(port, clock);
    link.start();
    await eventually('open', () => link?.isOpen ?? false);

    // Act: the second call waits 20 s behind the first, longer than its own 10 s, then goes out
    const first = link.call('Heartbeat', {}, 30_000);
    await eventually('first received', () => heartbeats === 1);
    const second = link.call('Heartbeat', {}, 10_000).catch((error: unknown) => error);
    clock.advance(20_000);
    answerFirst?.();
    await first;
    await eventually('second received', () => heartbeats === 2);
    clock.advance(9_999);
    const stillWaiting = await Promise.race([second, Promise.resolve('waiting')]);
    clock.advance(1);
    const outcome = await Promise.race([second, new Promise((resolve) => setTimeout(() => resolve('never'), 2_000))]);
    const third = await Promise.race([
      link.call('Heartbeat', {}, 10_000),
      new Promise((resolve) => setTimeout(() => resolve('held'), 2_000)),
    ]);

    // Assert
    expect(stillWaiting).toBe('waiting');
    expect(outcome).toBeInstanceOf(TimeoutError);
    expect(third).toEqual(answer);
  });

  it('should bring a retry due later forward to within the given time, and leave one due sooner alone', async () => {
    // Arrange: nobody listens; the retries' ceiling reaches its cap of 400 ms
    const port = await restartPort();
    const clock = new RecordingClock();
    link = linkTo(port, clock);
    link.start();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await eventually(`retry ${attempt} scheduled`, () => clock.delays.length === attempt);
      if (attempt < 3) clock.advance(1_000);
    }

    // Act: a retry 200 ms away; brought within 100 ms, then asked for within 300 ms
    link.retrySoon(100);
    link.retrySoon(300);

    // Assert
    expect(clock.delays).toEqual([50, 100, 200, 50]);
  });
});
