/** How many phases a car draws on, told from one measurement of its current per phase. */

/** Amps at or above this on a phase count as the car drawing on it... */
const PRESENT_AMPS = 1;
/**
 * ...once its highest phase carries at least this: below it the car is starting, finishing or trickling, and a phase
 * a little under 1 A is noise, not a missing phase (a 3-phase car read as 2-phase would have one phase uncounted).
 */
const CLEAR_AMPS = 3;

/** The phase count a measurement shows, or undefined when it shows none clearly. */
export function drawnPhases(amps: readonly [number, number, number]): 1 | 2 | 3 | undefined {
  if (Math.max(amps[0], amps[1], amps[2]) < CLEAR_AMPS) return undefined;
  return ((amps[0] >= PRESENT_AMPS ? 1 : 0) + (amps[1] >= PRESENT_AMPS ? 1 : 0) + (amps[2] >= PRESENT_AMPS ? 1 : 0)) as
    | 1
    | 2
    | 3;
}
