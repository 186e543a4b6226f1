/**
 * A schema's own rules said with a stable reason (shared/server-messages.ts), so a page shows them in the reader's
 * language: a refinement adds its issue with `addReasonedIssue` (the reason and its parameters ride in the zod issue's
 * `params`, the English text is its message); a pattern check takes its message from `patternMessage` (zod keeps no
 * parameters on a format issue, so shared/issue-reasons.ts finds the reason again by its English text).
 * test/unit/shared/refinement-reasons.test.ts fails a refinement or pattern message in shared/ said another way.
 */
import type { z } from 'zod';
import type { FieldIssue } from './errors';
import { englishMessage, type MessageParams, type MessageRef, type ServerReason } from './server-messages';

/** Adds a refinement issue at `path` saying `reason` with `params`. */
export function addReasonedIssue(
  ctx: z.RefinementCtx,
  path: readonly (string | number)[],
  reason: ServerReason,
  params?: MessageParams,
): void {
  const ref: MessageRef = params === undefined ? { reason } : { reason, params };
  ctx.addIssue({ code: 'custom', path: [...path], message: englishMessage(ref), params: { ...ref } });
}

/** The message of a pattern check that fails with `reason` (a message without placeholders). */
export const patternMessage = (reason: ServerReason): string => englishMessage({ reason });

/** A field issue at `path` saying `said`, for a rule checked outside a schema. */
export const reasonedIssue = (path: string, said: MessageRef): FieldIssue => ({
  path,
  message: englishMessage(said),
  ...said,
});
