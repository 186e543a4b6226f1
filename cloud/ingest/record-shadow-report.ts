/**
 * Records what a site reports in its policy shadow: the version it applied, or the one it rejected with the reasons.
 * Takes the shadow service's `/update/documents` message (preferred: `current` holds the whole reported state) or an
 * `/update/accepted` one. Bad input is reported in the result, never thrown; a data store failure throws.
 */
import { z } from 'zod';
import type { AppErrorCode, FieldIssue } from '../../shared/errors';
import { ReportedPolicySchema, parsePolicyText, type ReportedPolicy } from '../../shared/sync/sync-messages';
import { fieldIssues } from '../../shared/validation';
import type { AppliedPolicyRecord } from '../ports/policy-repository';
import { attributeThing } from './gateway-attribution';
import type { IngestDeps } from './ingest-deps';
import { jsonEqual } from './json-equal';

export interface ShadowReportInput {
  readonly thingName: string;
  /** The shadow message, parsed JSON. */
  readonly document: unknown;
}

export type ShadowReportResult =
  | { readonly status: 'recorded'; readonly record: AppliedPolicyRecord }
  /** Nothing to record: no reported state, an unchanged one, or an older report than the one recorded. */
  | { readonly status: 'ignored'; readonly reason: string }
  | {
      readonly status: 'rejected';
      readonly code: AppErrorCode;
      readonly reason: string;
      readonly issues: readonly FieldIssue[];
    };

const StateSchema = z.object({ reported: z.unknown().optional() }).loose();
const DocumentsSchema = z
  .object({
    previous: z.object({ state: StateSchema }).loose().nullable().optional(),
    current: z.object({ state: StateSchema }).loose(),
  })
  .loose();
const AcceptedSchema = z.object({ state: StateSchema }).loose();

const MAX_MESSAGE_CHARS = 2000;

/** The reported state (and whether it changed) from a documents or an accepted message. */
function reportedOf(
  document: unknown,
): { ok: true; reported: unknown; unchanged: boolean } | { ok: false; issues: FieldIssue[] } {
  if (typeof document === 'object' && document !== null && 'current' in document) {
    const documents = DocumentsSchema.safeParse(document);
    if (!documents.success) return { ok: false, issues: fieldIssues(documents.error) };
    const { previous, current } = documents.data;
    return {
      ok: true,
      reported: current.state.reported,
      unchanged: previous != null && jsonEqual(previous.state.reported, current.state.reported),
    };
  }
  const accepted = AcceptedSchema.safeParse(document);
  if (!accepted.success) return { ok: false, issues: fieldIssues(accepted.error) };
  return { ok: true, reported: accepted.data.state.reported, unchanged: false };
}

function rejectionMessage(reported: ReportedPolicy): string | undefined {
  if (reported.status !== 'rejected') return undefined;
  const text = (reported.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; ') || 'rejected without a reason';
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…` : text;
}

export async function recordShadowReport(deps: IngestDeps, input: ShadowReportInput): Promise<ShadowReportResult> {
  const found = reportedOf(input.document);
  if (!found.ok)
    return { status: 'rejected', code: 'message.invalid', reason: 'not a shadow document', issues: found.issues };
  if (found.reported === undefined || found.reported === null)
    return { status: 'ignored', reason: 'the document has no reported state' };
  if (found.unchanged) return { status: 'ignored', reason: 'the reported state did not change' };

  const parsed = ReportedPolicySchema.safeParse(found.reported);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error).map((i) => ({ path: `state.reported.${i.path}`, message: i.message }));
    return { status: 'rejected', code: 'message.invalid', reason: 'invalid reported policy state', issues };
  }
  const reported = parsed.data;
  const running = reported.policy === undefined ? undefined : parsePolicyText(reported.policy);
  if (running !== undefined && !running.ok) {
    return {
      status: 'rejected',
      code: 'message.invalid',
      reason: 'invalid reported policy',
      issues: running.issues.map((i) => ({ path: `state.reported.${i.path}`, message: i.message })),
    };
  }
  const attribution = await attributeThing(deps.repositories.gateways, input.thingName);
  if (!attribution.ok)
    return {
      status: 'rejected',
      code: 'auth.forbidden',
      reason: attribution.reason,
      issues: [{ path: 'thingName', message: attribution.reason }],
    };
  const { tenantId, siteId } = attribution.registration;

  // Cloud versions only grow; a late report about an older one must not hide the newer result.
  const current = await deps.repositories.policies.getApplied(tenantId, siteId);
  if (current && reported.source === 'cloud' && current.version > reported.version) {
    return {
      status: 'ignored',
      reason: `version ${reported.version} is older than the recorded version ${current.version}`,
    };
  }
  const message = rejectionMessage(reported);
  const record: AppliedPolicyRecord = {
    tenantId,
    siteId,
    version: reported.version,
    status: reported.status,
    source: reported.source,
    reportedAt: reported.appliedAt,
    ...(message !== undefined ? { message } : {}),
    ...(running !== undefined ? { policy: running.policy } : {}),
  };
  await deps.repositories.policies.putApplied(record);
  return { status: 'recorded', record };
}
