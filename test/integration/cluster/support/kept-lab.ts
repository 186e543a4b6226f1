/**
 * A lab's folder after its test: removed, or kept and named with `AMPSHARE_LAB_KEEP=1` to read what happened in a
 * failing run: the agents' logs (`gw-a.log`, each line with the agent's `time`), etcd's and keepalived's, the agents'
 * data, and `chargers.json`: each charger's reconnect attempts (when each ended, and why it failed), every call it sent and received, with its connection, its time (`atMs`) and its
 * place in the test's order of receipts. The agents' log times and the chargers' times share the machine's clock, so
 * the two can be laid side by side (the two gated tests of session 15 were explained that way).
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChargerWire } from './charger-wire';

export function keepOrRemoveLab(
  dir: string,
  chargers: readonly {
    readonly id: string;
    readonly wire: ChargerWire;
    readonly attempts: readonly { readonly atMs: number; readonly error?: string }[];
  }[],
): void {
  if (process.env.AMPSHARE_LAB_KEEP !== '1') {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const frames = chargers.map(({ id, wire, attempts }) => ({
    id,
    attempts,
    sent: wire.calls,
    received: wire.received,
  }));
  writeFileSync(path.join(dir, 'chargers.json'), JSON.stringify(frames, null, 1));
  console.warn(`failover lab kept in ${dir}`);
}
