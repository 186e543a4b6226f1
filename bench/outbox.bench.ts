/**
 * Outbox figures: replay rate after an outage (messages per second to an embedded aedes broker, QoS 1, batches of
 * 100, 4 in flight per stream) and disk bytes per hour of outage at the default telemetry rate (one sample per 10 s).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Aedes } from 'aedes';
import type { TelemetryBody } from '../shared/sync/sync-messages';
import { systemClock as clock } from '../edge/platform/clock';
import { MqttLink } from '../edge/sync/mqtt-link';
import { Outbox } from '../edge/sync/outbox';
import { OUTBOX_FILE, openOutboxDatabase } from '../edge/sync/outbox-database';
import { OutboxPublisher } from '../edge/sync/outbox-publisher';
import { printTable } from './measure';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const sample: TelemetryBody = {
  gridAmps: [41.2, 38.7, 40.1],
  evAmps: [31.5, 31.5, 30.9],
  limitAmps: [60, 60, 60],
  fuseAmps: [63, 63, 63],
  budget: { unit: 'A', value: 60 },
  meter: 'ok',
  charging: 4,
  paused: 1,
};

/** Replays `messages` telemetry samples queued during an outage; returns messages per second. */
async function replayRate(messages: number): Promise<{ perSecond: number; seconds: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-bench-outbox-'));
  const aedes = await Aedes.createBroker();
  const server = createServer((socket) => aedes.handle(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const db = openOutboxDatabase(dir);
  try {
    const outbox = new Outbox(db, { siteId: 'bench-site', maxBytes: 1024 ** 3, now: clock.now });
    for (let n = 0; n < messages; n++) outbox.enqueue('telemetry', sample, 1_700_000_000_000 + n * 10_000);
    const link = new MqttLink({
      url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
      options: { clientId: 'bench-gw', protocolVersion: 4, clean: false },
      reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
      clock,
      log: quiet,
    });
    const publisher = new OutboxPublisher(
      outbox,
      link,
      { thingName: 'amp-bench-site', batchMessages: 100, inflightBatches: 4, retryDelayMs: 100 },
      clock,
      quiet,
    );
    const drained = new Promise<void>((resolve) =>
      outbox.onAcknowledge(() => outbox.stats().messages === 0 && resolve()),
    );
    const connected = new Promise<void>((resolve) => link.onConnectionChange((up) => up && resolve()));
    link.start();
    await connected;
    const start = process.hrtime.bigint();
    publisher.start();
    await drained;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    publisher.stop();
    await link.stop();
    return { perSecond: messages / seconds, seconds };
  } finally {
    db.close();
    server.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Disk growth of `<dataDir>/outbox.sqlite` for `hours` of outage at one telemetry sample per `intervalSeconds`. */
function diskBytesPerHour(
  hours: number,
  intervalSeconds: number,
): { bytesPerHour: number; payloadBytesPerHour: number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ampshare-bench-disk-'));
  const db = openOutboxDatabase(dir);
  try {
    const outbox = new Outbox(db, { siteId: 'bench-site', maxBytes: 1024 ** 3, now: clock.now });
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(path.join(dir, OUTBOX_FILE)).size;
    const samples = Math.round((hours * 3600) / intervalSeconds);
    for (let n = 0; n < samples; n++)
      outbox.enqueue('telemetry', sample, 1_700_000_000_000 + n * intervalSeconds * 1000);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const after = statSync(path.join(dir, OUTBOX_FILE)).size;
    return { bytesPerHour: (after - before) / hours, payloadBytesPerHour: outbox.stats().bytes / hours };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the outbox benchmark and prints its table. */
export async function benchOutbox(): Promise<void> {
  const replay = await replayRate(50_000);
  const disk = diskBytesPerHour(24, 10);
  printTable(
    'outbox: replay after an outage (aedes, QoS 1, 100 per batch, 4 batches in flight) and disk use while offline',
    ['figure', 'value'],
    [
      ['replay rate (messages/s)', Math.round(replay.perSecond).toLocaleString('en-US')],
      ['replay of 50,000 messages (s)', replay.seconds.toFixed(2)],
      ['disk bytes per hour of outage, telemetry every 10 s', Math.round(disk.bytesPerHour).toLocaleString('en-US')],
      ['payload bytes per hour (JSON envelopes)', Math.round(disk.payloadBytesPerHour).toLocaleString('en-US')],
    ],
  );
}
