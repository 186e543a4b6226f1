/**
 * keepalived's state on this gateway, as its notify script (packaging/keepalived/notify-state.sh) last wrote it to
 * `cluster.keepalivedStateFile`: the file's first word and its modification time. keepalived has no query interface
 * of its own (its state dumps need a signal and root), so the notify script is the one readable source.
 */
import { open } from 'node:fs/promises';
import { KEEPALIVED_STATES } from '../../shared/dashboard/network-answer';

export type KeepalivedState = { readonly state: (typeof KEEPALIVED_STATES)[number]; readonly since: number };

/** Undefined when the file is missing, unreadable or says something else. */
export async function readKeepalivedState(file: string): Promise<KeepalivedState | undefined> {
  // At most 16 bytes are read: the file holds one word, and a wrong path must not make the page read a large file.
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return undefined;
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(16), 0, 16, 0);
    const word = buffer.subarray(0, bytesRead).toString('utf8').trim().split(/\s/)[0];
    const state = KEEPALIVED_STATES.find((s) => s === word);
    return state === undefined ? undefined : { state, since: (await handle.stat()).mtimeMs };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
