/**
 * How the other-load estimate (other-load.ts) holds against noise: the steps a rise and a fall must make, how long
 * they must last, and the band the estimate's own error takes. Its own file so the estimator keeps the mechanism.
 */
export interface OtherLoadSettings {
  /** How long a car takes to follow a new limit, as the best estimate assumes. */
  readonly carResponseMs: number;
  /** A rise smaller than this (or than the policy's safety margin, which exists to absorb it) is noise; larger ones are taken at once. */
  readonly noiseAmps: number;
  /** A lower estimate replaces the held one only after every estimate this long was lower... */
  readonly releaseMs: number;
  /**
   * ...by at least this much, or by the noise step when that is larger (a fall, like a rise, must stand out of the
   * noise); drops of half that are taken after `driftMs`, smaller ones never.
   */
  readonly releaseAmps: number;
  /** ...or by this share of the circuit's fuse on that phase, when that is larger. */
  readonly releaseFuseShare: number;
  readonly driftMs: number;
  /** A rise under the noise step is taken once every estimate this long was higher by half a release step. */
  readonly riseMs: number;
  /** A sudden rise is unconfirmed this long: cars are cut at once, but only paused once it lasted. */
  readonly confirmMs: number;
  /**
   * The estimate's own error per car phase drawing under the circuit: each car's share of the noise step, and of the
   * headroom the allocation keeps (see `bandAmps`).
   */
  readonly bandAmpsPerCarPhase: number;
}

export const OTHER_LOAD_SETTINGS: Omit<OtherLoadSettings, 'carResponseMs'> = {
  noiseAmps: 0.5,
  releaseMs: 3_000,
  releaseAmps: 1,
  releaseFuseShare: 0.005,
  driftMs: 30_000,
  riseMs: 10_000,
  confirmMs: 2_000,
  // A quarter of a charger's sample noise (about +-0.2 A, 1 % of 16 A): what capping samples at the limit takes off a
  // car that follows it, and what a car's count moves when its samples replace its limit.
  bandAmpsPerCarPhase: 0.05,
};
