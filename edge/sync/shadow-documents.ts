/** What the AWS IoT device shadow service sends on a named shadow's topics (read, never trusted). */
import { z } from 'zod';

const StateSection = z.record(z.string(), z.unknown());

/** `/get/accepted`: the whole document; `desired` and `reported` are checked separately. */
export const ShadowDocumentSchema = z.looseObject({
  state: z.looseObject({
    desired: z.unknown().optional(),
    reported: z.unknown().optional(),
    delta: z.unknown().optional(),
  }),
  version: z.number().int().optional(),
  clientToken: z.string().optional(),
});

/** `/update/delta`: only the desired keys that differ from reported, and the document's version. */
export const ShadowDeltaSchema = z.looseObject({ state: StateSection, version: z.number().int().optional() });

/** `/update/accepted`, `/update/rejected`, `/get/rejected`: the answer to one of our requests. */
export const ShadowAnswerSchema = z.looseObject({
  clientToken: z.string().optional(),
  code: z.number().int().optional(),
  message: z.string().optional(),
});

export type ShadowDocument = z.output<typeof ShadowDocumentSchema>;

/** The suffixes of the policy shadow's topics the agent listens to. */
export const SHADOW_REPLIES = [
  'update/delta',
  'get/accepted',
  'get/rejected',
  'update/accepted',
  'update/rejected',
] as const;
export type ShadowReply = (typeof SHADOW_REPLIES)[number];

/** Splits `$aws/things/<thing>/shadow/name/<shadow>/<reply>`; undefined for any other topic. */
export function parseShadowTopic(topic: string): { thingName: string; shadowName: string; reply: string } | undefined {
  const match = /^\$aws\/things\/([^/]+)\/shadow\/name\/([^/]+)\/(.+)$/.exec(topic);
  return match ? { thingName: match[1]!, shadowName: match[2]!, reply: match[3]! } : undefined;
}
