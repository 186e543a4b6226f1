/**
 * Reconnect delays for the upstream links: exponential back-off with full jitter (uniform in [0, ceiling)), where the
 * ceiling doubles per failed attempt up to a cap. Full jitter is what staggers a fleet: 500 links lost at the same
 * moment spread their first attempts over the whole first interval, and their later ones over ever wider ones, instead
 * of hitting a recovering CSMS in step. The random source is passed in, so tests pick the draws.
 */
export interface ReconnectDelays {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** The delay before reconnect attempt `attempt` (0-based, counting since the last successful connection). */
export function reconnectDelayMs(attempt: number, delays: ReconnectDelays, random: () => number): number {
  const ceiling = Math.min(delays.maxDelayMs, delays.initialDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
