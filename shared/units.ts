/** Grid phases, per-phase vectors, phase rotation and power/current conversion. */

/** A grid phase index: 0 = L1, 1 = L2, 2 = L3. */
export type PhaseIndex = 0 | 1 | 2;

/** Amps on each grid phase, in L1, L2, L3 order. */
export type PhaseAmps = readonly [number, number, number];

/** The three grid phases, for iteration. */
export const PHASES: readonly PhaseIndex[] = [0, 1, 2];

/** Phase names as shown to people and used in OCPP (`L1`, `L2`, `L3`). */
export const PHASE_NAMES = ['L1', 'L2', 'L3'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

/**
 * Which grid phase a charger's own L1, L2 and L3 are wired to, written as the grid phases in charger order.
 * `L2L3L1` means the charger's L1 is on grid L2, its L2 on grid L3 and its L3 on grid L1.
 * OCPP 1.6 names the same wirings RST, STR, TRS, RTS, SRT and TSR (`ConnectorPhaseRotation`).
 */
export const PHASE_ROTATIONS = ['L1L2L3', 'L2L3L1', 'L3L1L2', 'L1L3L2', 'L2L1L3', 'L3L2L1'] as const;
export type PhaseRotation = (typeof PHASE_ROTATIONS)[number];

const OCPP_ROTATION: Record<PhaseRotation, string> = {
  L1L2L3: 'RST',
  L2L3L1: 'STR',
  L3L1L2: 'TRS',
  L1L3L2: 'RTS',
  L2L1L3: 'SRT',
  L3L2L1: 'TSR',
};

/** Grid phase indices of a charger's L1, L2 and L3 under a rotation. */
export function gridPhasesOf(rotation: PhaseRotation): readonly [PhaseIndex, PhaseIndex, PhaseIndex] {
  const at = (i: number): PhaseIndex => (Number(rotation.charAt(i * 2 + 1)) - 1) as PhaseIndex;
  return [at(0), at(1), at(2)];
}

/** The OCPP 1.6 `ConnectorPhaseRotation` code (RST, STR, ...) of a rotation. */
export function ocppPhaseRotation(rotation: PhaseRotation): string {
  return OCPP_ROTATION[rotation];
}

/** Moves amps measured on a charger's own phases (its L1, L2, L3) onto grid phases, given where each is wired. */
export function chargerToGridAmps(
  chargerAmps: PhaseAmps,
  gridPhases: readonly [PhaseIndex, PhaseIndex, PhaseIndex],
): PhaseAmps {
  const grid: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < 3; i++) grid[gridPhases[i as PhaseIndex]] += chargerAmps[i as PhaseIndex];
  return grid;
}

/** A per-phase vector computed phase by phase. */
export function perPhase(amps: (phase: PhaseIndex) => number): PhaseAmps {
  return [amps(0), amps(1), amps(2)];
}

/** The same amps on every phase. */
export function uniformAmps(amps: number): PhaseAmps {
  return [amps, amps, amps];
}

/** Watts drawn by `phases` phases at `amps` each and `volts` line-to-neutral. */
export function wattsFromAmps(amps: number, phases: number, volts: number): number {
  return amps * phases * volts;
}

/** Amps per phase that make `watts` over `phases` phases at `volts` line-to-neutral. */
export function ampsFromWatts(watts: number, phases: number, volts: number): number {
  return watts / (phases * volts);
}

/** Amps per phase of a kW budget spread over three phases at the nominal voltage. */
export function perPhaseAmpsFromKilowatts(kilowatts: number, volts: number): number {
  return ampsFromWatts(kilowatts * 1000, 3, volts);
}
