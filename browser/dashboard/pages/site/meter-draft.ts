/**
 * The site version a meter form saves: the meter as entered (keeping what the form does not show of the meter in force
 * with that id: poll, plausibility, role), measuring the circuit chosen, which no other circuit then names; the meter
 * that circuit named before leaves the site unless another circuit still names it. And the server's issues about that
 * request, moved to the form's own fields.
 */
import type { SiteMeterView } from '../../../../shared/dashboard/meter-test-read-answer';
import type { SiteInForceAnswer } from '../../../../shared/dashboard/site-setup-answers';
import type { FieldIssue } from '../../../../shared/errors';
import type { SiteInput } from '../../../../shared/site/site-schema';

/** What the form holds: the meter's id, model and connection, and the circuit it measures. */
export interface MeterEntry {
  readonly meterId: unknown;
  readonly model: unknown;
  readonly connection: Record<string, unknown>;
  readonly circuit: unknown;
}

export interface MeterSaveRequest {
  readonly site: SiteInput;
  readonly meters: readonly unknown[];
  /** Where the entered meter is in `meters`: its issues come back at `meters[index]`. */
  readonly index: number;
  /** Where the chosen circuit is in the site: its meter's issues come back at `site.circuits[circuitIndex].meterId`. */
  readonly circuitIndex: number;
}

export function meterSaveRequest(answer: SiteInForceAnswer, entry: MeterEntry): MeterSaveRequest {
  const inForce: readonly SiteMeterView[] = answer.meters ?? [];
  const kept: Partial<SiteMeterView> = inForce.find((m) => m.meterId === entry.meterId) ?? {};
  // A custom register map belongs to the custom model only.
  const { customMap: _map, ...keptRest } = kept;
  const keptConnection = kept.connection?.transport === entry.connection.transport ? kept.connection : {};
  const meter = {
    ...(entry.model === 'custom' ? kept : keptRest),
    meterId: entry.meterId,
    model: entry.model,
    connection: { ...keptConnection, ...entry.connection },
  };
  const circuitIndex = answer.site.circuits.findIndex((c) => c.id === entry.circuit);
  const replaced = answer.site.circuits[circuitIndex]?.meterId;
  const circuits = answer.site.circuits.map((c, i): SiteInput['circuits'][number] => {
    const { meterId, ...rest } = structuredClone(c) as SiteInput['circuits'][number];
    if (i === circuitIndex) return { ...rest, meterId: entry.meterId as string };
    return meterId === undefined || meterId === entry.meterId ? rest : { ...rest, meterId };
  });
  const named = new Set(circuits.map((c) => c.meterId));
  const others = inForce.filter((m) => m.meterId !== entry.meterId && (m.meterId !== replaced || named.has(m.meterId)));
  const meters = [...others, meter];
  return {
    site: { ...(structuredClone(answer.site) as SiteInput), circuits },
    meters,
    index: meters.length - 1,
    circuitIndex,
  };
}

/** The issues of a save at the form's paths: the meter's at `meter.…`, its circuit's meter at `meter.circuit`. */
export function meterFormIssues(issues: readonly FieldIssue[], request: MeterSaveRequest): FieldIssue[] {
  const own = `meters[${request.index}]`;
  const circuit = `site.circuits[${request.circuitIndex}].meterId`;
  return issues.map((issue) => {
    if (issue.path === circuit) return { ...issue, path: 'meter.circuit' };
    if (issue.path === own || issue.path.startsWith(`${own}.`))
      return { ...issue, path: `meter${issue.path.slice(own.length)}` };
    return issue;
  });
}
