/** The addresses this gateway has on its networks (loopback left out), as a cluster node announces them to its peers. */
import os from 'node:os';

/** At most this many: a gateway has a few; the presence value stays small. */
const MAX_ADDRESSES = 8;

export function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal)
    .map((entry) => entry.address)
    .slice(0, MAX_ADDRESSES);
}
