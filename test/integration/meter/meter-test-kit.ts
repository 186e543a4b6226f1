/** Helpers for meter integration tests: waiting for samples with a bound, and a socat pseudo-serial pair. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GridMeter } from '../../../edge/meter/grid-meter';
import type { GridMeterSample } from '../../../edge/meter/grid-meter-sample';

/** Resolves with the first sample that matches, or rejects after `withinMs`. */
export function nextSample(
  meter: GridMeter,
  matches: (s: GridMeterSample) => boolean,
  withinMs = 5000,
): Promise<GridMeterSample> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching sample within ${withinMs} ms; last: ${JSON.stringify(meter.latest())}`));
    }, withinMs);
    const unsubscribe = meter.subscribe((sample) => {
      if (!matches(sample)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(sample);
    });
  });
}

export interface PtyPair {
  /** The end the driver (Modbus master) opens. */
  readonly masterPath: string;
  /** The end the simulated meter opens. */
  readonly meterPath: string;
  close(): Promise<void>;
}

/** Starts `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and resolves once both ends exist. */
export async function startPtyPair(withinMs = 5000): Promise<PtyPair> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ampshare-pty-'));
  const masterPath = path.join(dir, 'master');
  const meterPath = path.join(dir, 'meter');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${masterPath}`, `pty,raw,echo=0,link=${meterPath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start within ${withinMs} ms: ${log}`)), withinMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { masterPath, meterPath, close: () => stopChild(child, dir) };
}

async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
  await fs.promises.rm(dir, { recursive: true, force: true });
}
