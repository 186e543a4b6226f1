/** Real parts for sync tests: a wall clock, a quiet log, and a waiter on a link's connection changes. */
import { systemClock } from '../../../../../edge/platform/clock';
import type { SyncLog, SyncTransport } from '../../../../../edge/sync/sync-ports';

export const wallClock = systemClock;

export const quietLog: SyncLog = { info: () => {}, warn: () => {}, error: () => {} };

/** Resolves when `transport` reports `connected` (at once if it already is); rejects after `timeoutMs`. */
export function linkState(transport: SyncTransport, connected: boolean, timeoutMs = 10_000): Promise<void> {
  if (transport.connected === connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`link not ${connected ? 'connected' : 'offline'} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = transport.onConnectionChange((now) => {
      if (now !== connected) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** Resolves once `check()` holds, re-checked whenever `subscribe` calls back; rejects after `timeoutMs`. */
export function when(
  subscribe: (listener: () => void) => void,
  check: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`${what} not met within ${timeoutMs} ms`));
    }, timeoutMs);
    subscribe(() => {
      if (done || !check()) return;
      done = true;
      clearTimeout(timer);
      resolve();
    });
  });
}
