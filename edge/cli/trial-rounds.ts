/** Turns a trial file into the allocator's inputs for each of its rounds: states, meter readings and the time. */
import type { FieldIssue } from '../../shared/errors';
import { formatConnectorRef } from '../../shared/site/connector-ref';
import type { Site } from '../../shared/site/site-schema';
import type { ConnectorState, MeterReading } from '../../shared/site/site-state';
import type { TrialFile, TrialMeasurement } from './trial-file';
import type { TrialWarning } from './trial-warnings';

/** One round's input, besides the policy and the previous allocation. */
export interface TrialRoundInput {
  readonly now: number;
  readonly connectors: readonly ConnectorState[];
  readonly meters: readonly MeterReading[];
}

export type TrialRoundsResult =
  | { readonly ok: true; readonly rounds: readonly TrialRoundInput[]; readonly warnings: readonly TrialWarning[] }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

/**
 * Every round of a trial: the first at `at` (the `--at` option), the file's `state.at` or `wallClock`; each later
 * one applies its changes to the round before. Round times must increase.
 */
export function trialRounds(
  trial: TrialFile,
  options: { readonly at?: number; readonly wallClock: number },
): TrialRoundsResult {
  const start = options.at ?? (trial.state?.at ? Date.parse(trial.state.at) : options.wallClock);
  const warnings: TrialWarning[] = [];
  const phasesOf = connectorPhases(trial.site);
  const firstConnectors = trial.state?.connectors ?? everyConnectorCharging(trial.site, start);
  const first: TrialRoundInput = {
    now: start,
    connectors: measured(
      firstConnectors,
      trial.state?.measurements ?? [],
      'state.measurements',
      start,
      phasesOf,
      warnings,
    ),
    meters: trial.state?.meters ?? [],
  };
  const rounds: TrialRoundInput[] = [first];
  const issues: FieldIssue[] = [];
  trial.rounds.forEach((round, k) => {
    const before = rounds[rounds.length - 1]!;
    const now = round.at !== undefined ? Date.parse(round.at) : before.now + (round.afterSeconds ?? 0) * 1000;
    if (now <= before.now) {
      issues.push({
        path: `rounds[${k}].at`,
        message: `${new Date(now).toISOString()} is not after the round before (${new Date(before.now).toISOString()})`,
      });
      return;
    }
    const connectors = replaceBy(before.connectors, round.connectors, (c) => c.ref);
    const meters = replaceBy(
      before.meters,
      round.meters.map((m) => ({
        meterId: m.meterId,
        amps: m.amps,
        at: m.at !== undefined ? Date.parse(m.at) : now,
        valid: m.valid,
      })),
      (m) => m.meterId,
    );
    rounds.push({
      now,
      connectors: measured(connectors, round.measurements, `rounds[${k}].measurements`, now, phasesOf, warnings),
      meters,
    });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, rounds, warnings };
}

/** Without a state, every connector has a car that just plugged in. */
function everyConnectorCharging(site: Site, now: number): ConnectorState[] {
  return site.chargers.flatMap((charger) =>
    charger.connectors.map(
      (c): ConnectorState => ({
        ref: formatConnectorRef(charger.id, c.id),
        status: 'Charging',
        link: 'online',
        session: { id: `trial-${charger.id}-${c.id}`, startedAt: now, energyWh: 0 },
      }),
    ),
  );
}

function connectorPhases(site: Site): ReadonlyMap<string, 1 | 3> {
  return new Map(
    site.chargers.flatMap((charger) =>
      charger.connectors.map((c) => [formatConnectorRef(charger.id, c.id), charger.phases] as const),
    ),
  );
}

/** `base` with the items of `changes` in place of those with the same key, and new keys appended. */
function replaceBy<T>(base: readonly T[], changes: readonly T[], key: (item: T) => string): T[] {
  if (changes.length === 0) return [...base];
  const changed = new Map(changes.map((item) => [key(item), item]));
  const out = base.map((item) => changed.get(key(item)) ?? item);
  const present = new Set(base.map(key));
  for (const item of changed.values()) if (!present.has(key(item))) out.push(item);
  return out;
}

/** The states with each measurement put on its connector's session, as MeterValues would. */
function measured(
  states: readonly ConnectorState[],
  measurements: readonly TrialMeasurement[],
  path: string,
  now: number,
  phasesOf: ReadonlyMap<string, 1 | 3>,
  warnings: TrialWarning[],
): ConnectorState[] {
  const out = [...states];
  if (measurements.length === 0) return out;
  // The last state of a ref is the one the allocator keeps when a ref is listed twice (trialWarnings says so).
  const indexOf = new Map(out.map((s, k) => [s.ref, k]));
  measurements.forEach((m, i) => {
    const chargerPhases = phasesOf.get(m.ref);
    if (chargerPhases === undefined) return; // an unknown connector: trialWarnings says so
    const k = indexOf.get(m.ref) ?? -1;
    const state = out[k];
    if (!state?.session) {
      warnings.push({
        code: 'measurement.noSession',
        path: `${path}[${i}].ref`,
        message: `"${m.ref}" has no session in this round, so its measurement is ignored`,
      });
      return;
    }
    const amps = typeof m.amps === 'number' ? onPhases(m.amps, state.session.carPhases ?? chargerPhases) : m.amps;
    out[k] = {
      ...state,
      session: { ...state.session, measured: { amps, at: m.at !== undefined ? Date.parse(m.at) : now } },
    };
  });
  return out;
}

function onPhases(amps: number, phases: 1 | 2 | 3): [number, number, number] {
  return [amps, phases >= 2 ? amps : 0, phases >= 3 ? amps : 0];
}
