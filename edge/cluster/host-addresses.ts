/** The addresses this gateway has on its networks (loopback left out), as a cluster node announces them to its peers. */
import os from 'node:os';
import type { HostInterface } from '../../shared/dashboard/network-answer';

/** At most this many: a gateway has a few; the presence value and the Network page stay small. */
const MAX_ADDRESSES = 8;

/** Each address with its interface's name (the dashboard's Network page). */
export function hostInterfaces(): HostInterface[] {
  return Object.entries(os.networkInterfaces())
    .flatMap(([name, entries]) => (entries ?? []).map((entry) => ({ name, ...entry })))
    .filter((entry) => !entry.internal)
    .map((entry) => ({ name: entry.name, address: entry.address, family: entry.family }))
    .slice(0, MAX_ADDRESSES);
}

export function hostAddresses(): string[] {
  return hostInterfaces().map((entry) => entry.address);
}
