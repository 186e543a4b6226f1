/**
 * Configurations a trial file can hold but a site cannot: fail-safe currents that add up beyond a fuse, connectors
 * or meters the site does not have, the same connector listed twice. Warnings, not errors: the allocation still runs.
 */
import type { Allocation } from '../../shared/allocation/allocation-types';
import { policySiteIssues } from '../../shared/policy/policy-fits-site';
import { siteConnectorRefs } from '../../shared/site/connector-ref';
import type { Site } from '../../shared/site/site-schema';
import { gridPhasesOf, PHASE_NAMES, PHASES, type PhaseAmps } from '../../shared/units';
import type { TrialFile } from './trial-file';

export type TrialWarningCode =
  | 'failSafe.aboveFuse'
  | 'connector.unknown'
  | 'connector.duplicate'
  | 'meter.unknown'
  | 'measurement.noSession'
  | 'previous.unknownConnector'
  | 'previous.later';

/** One warning: where in the trial file (or `previous.` in the previous allocation), and what cannot hold. */
export interface TrialWarning {
  readonly code: TrialWarningCode;
  readonly path: string;
  readonly message: string;
}

/** Every warning about a trial file and, when given, the previous allocation its first round starts from. */
export function trialWarnings(
  trial: TrialFile,
  previous?: { readonly allocation: Allocation; readonly firstRoundAt: number },
): TrialWarning[] {
  const { site, policy } = trial;
  const refs = new Set(siteConnectorRefs(site));
  const meterIds = new Set(site.circuits.flatMap((c) => (c.meterId === undefined ? [] : [c.meterId])));
  const warnings: TrialWarning[] = [...failSafeWarnings(site, policy.failSafe.connectorAmps)];
  /** Lists of states or measurements: `at(i)` is where the i-th ref sits; a second entry for a connector hides the first. */
  const refList = (items: readonly string[], at: (i: number) => string, what: string) => {
    const first = new Map<string, number>();
    items.forEach((ref, i) => {
      if (!refs.has(ref))
        warnings.push({
          code: 'connector.unknown',
          path: at(i),
          message: `${what} "${ref}" is not a connector of site "${site.id}"`,
        });
      const seen = first.get(ref);
      if (seen === undefined) first.set(ref, i);
      else
        warnings.push({
          code: 'connector.duplicate',
          path: at(i),
          message: `"${ref}" is listed twice (also at ${at(seen)}); only one of them is used`,
        });
    });
  };
  const entries = (path: string) => (i: number) => `${path}[${i}].ref`;
  const meterList = (items: readonly { readonly meterId: string }[], path: string) =>
    items.forEach((m, i) => {
      if (!meterIds.has(m.meterId))
        warnings.push({
          code: 'meter.unknown',
          path: `${path}[${i}].meterId`,
          message: `meter "${m.meterId}" is not the meter of any circuit; its reading is ignored`,
        });
    });
  for (const issue of policySiteIssues(policy, site))
    warnings.push({ code: 'connector.unknown', path: `policy.${issue.path}`, message: issue.message });
  if (trial.state) {
    refList(
      (trial.state.connectors ?? []).map((c) => c.ref),
      entries('state.connectors'),
      'state of',
    );
    refList(
      trial.state.measurements.map((m) => m.ref),
      entries('state.measurements'),
      'measurement of',
    );
    meterList(trial.state.meters, 'state.meters');
  }
  trial.rounds.forEach((round, k) => {
    refList(
      round.connectors.map((c) => c.ref),
      entries(`rounds[${k}].connectors`),
      'state of',
    );
    refList(
      round.measurements.map((m) => m.ref),
      entries(`rounds[${k}].measurements`),
      'measurement of',
    );
    meterList(round.meters, `rounds[${k}].meters`);
  });
  if (previous) warnings.push(...previousWarnings(previous.allocation, previous.firstRoundAt, refs));
  return warnings;
}

function previousWarnings(previous: Allocation, firstRoundAt: number, refs: ReadonlySet<string>): TrialWarning[] {
  const warnings: TrialWarning[] = [];
  previous.connectors.forEach((c, i) => {
    if (!refs.has(c.ref)) {
      warnings.push({
        code: 'previous.unknownConnector',
        path: `previous.connectors[${i}].ref`,
        message: `"${c.ref}" is not a connector of this site; its previous allocation is ignored`,
      });
    }
  });
  if (previous.at > firstRoundAt) {
    warnings.push({
      code: 'previous.later',
      path: 'previous.at',
      message: `the previous allocation (${new Date(previous.at).toISOString()}) is later than the first round (${new Date(firstRoundAt).toISOString()}); give --at`,
    });
  }
  return warnings;
}

/**
 * What the chargers draw on their own when the agent is gone (each connector at the fail-safe current, capped by
 * its cable and its charger's maximum), summed per grid phase under every circuit: a fuse below that sum can trip
 * exactly when the controller that would have prevented it is lost.
 */
export function failSafeWarnings(site: Site, failSafeAmps: number): TrialWarning[] {
  if (failSafeAmps <= 0) return [];
  const index = new Map(site.circuits.map((c, i) => [c.id, i]));
  const load = site.circuits.map((): [number, number, number] => [0, 0, 0]);
  const connectors = site.circuits.map(() => 0);
  for (const charger of site.chargers) {
    const each = charger.connectors.map((c) => Math.min(failSafeAmps, c.maxAmps ?? charger.maxAmps, charger.maxAmps));
    const chargerAmps = Math.min(
      charger.maxAmps,
      each.reduce((a, b) => a + b, 0),
    );
    const grid = gridPhasesOf(charger.phaseRotation);
    // A 3-phase charger may carry 1-phase cars on any of its phases: count it on all three.
    const phases = charger.phases === 3 ? PHASES : [grid[0]];
    for (let at = index.get(charger.circuit); at !== undefined; ) {
      for (const p of phases) load[at]![p] += chargerAmps;
      connectors[at]! += charger.connectors.length;
      const parent = site.circuits[at]!.parent;
      at = parent === null ? undefined : index.get(parent);
    }
  }
  const warnings: TrialWarning[] = [];
  site.circuits.forEach((circuit, i) => {
    const fuse: PhaseAmps =
      typeof circuit.fuseAmps === 'number' ? [circuit.fuseAmps, circuit.fuseAmps, circuit.fuseAmps] : circuit.fuseAmps;
    const amps = load[i]!;
    const over = PHASES.filter((p) => amps[p] > fuse[p] + 1e-9);
    if (over.length === 0) return;
    const list = over.map((p) => `${amps[p].toFixed(1)} A on ${PHASE_NAMES[p]} (fuse ${fuse[p]} A)`).join(', ');
    warnings.push({
      code: 'failSafe.aboveFuse',
      path: `site.circuits[${i}].fuseAmps`,
      message: `circuit "${circuit.id}": the fail-safe currents of its ${connectors[i]} connectors (policy.failSafe.connectorAmps ${failSafeAmps} A each) add up to ${list}: if the agent stops, the chargers' own limits can trip this fuse`,
    });
  });
  return warnings;
}
