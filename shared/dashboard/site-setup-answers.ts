/** What the dashboard's site setup API answers (edge/dashboard/routes/site-setup-routes.ts), and the schemas the page checks them with. */
import { z } from 'zod';
import { ALLOCATION_REASONS, type Allocation } from '../allocation/allocation-types';
import { SiteSchema, type Site } from '../site/site-schema';
import { SiteMeterViewSchema, type SiteMeterView } from './meter-test-read-answer';
import { PHASE_ROTATIONS, type PhaseRotation } from '../units';

/** One saved version of the site, without the site itself. */
export interface SiteVersionView {
  readonly version: number;
  readonly author: string;
  /** `file`: imported from the site file at a start; `edit`, `adoption`, `restore`: on the dashboard. */
  readonly source: 'file' | 'edit' | 'adoption' | 'restore';
  readonly savedAt: number;
}

export interface SiteInForceAnswer extends SiteVersionView {
  readonly site: Site;
  /**
   * The meters the agent reads with this version (the site file's `meters[]`); null on a version saved before the
   * meters were part of it (restoring it keeps the meters in force). The version in force always has them.
   */
  readonly meters: readonly SiteMeterView[] | null;
}

export interface SiteVersionsAnswer {
  readonly versions: readonly SiteVersionView[];
}

export interface SitePreviewAnswer {
  readonly allocation: Allocation;
}

export interface UnknownChargerView {
  readonly identity: string;
  readonly remoteAddress: string | null;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly attempts: number;
  /** Held as Pending (connected now or last time), so what it reports can prefill its entry. */
  readonly held: boolean;
  readonly connected: boolean;
  readonly vendor: string | null;
  readonly model: string | null;
  readonly firmware: string | null;
}

export interface UnknownChargersAnswer {
  readonly chargers: readonly UnknownChargerView[];
}

export interface UnknownChargerAnswer extends UnknownChargerView {
  /** What the charger reported when asked now (GetConfiguration), to prefill its entry. */
  readonly suggestion: { readonly connectors: number | null; readonly phaseRotation: PhaseRotation | null };
}

// The page checks every answer with these (shared/dashboard/api-answers.ts does the same for the other answers).
const SiteVersionViewSchema = z.object({
  version: z.number(),
  author: z.string(),
  source: z.enum(['file', 'edit', 'adoption', 'restore']),
  savedAt: z.number(),
});

export const SiteInForceAnswerSchema = SiteVersionViewSchema.extend({
  site: SiteSchema,
  meters: z.array(SiteMeterViewSchema).max(64).nullable(),
}) satisfies z.ZodType<SiteInForceAnswer, unknown>;

export const SiteVersionsAnswerSchema: z.ZodType<SiteVersionsAnswer> = z.object({
  versions: z.array(SiteVersionViewSchema),
});

const phaseAmps = z.tuple([z.number(), z.number(), z.number()]);

/** The part of a preview's allocation the page shows: each circuit's limit and load, each connector's amps and reason. */
export const SitePreviewViewSchema = z.object({
  allocation: z.object({
    circuits: z.array(z.object({ id: z.string(), limitAmps: phaseAmps, allocatedAmps: phaseAmps })),
    connectors: z.array(z.object({ ref: z.string(), amps: z.number(), reason: z.enum(ALLOCATION_REASONS) })),
  }),
});
export type SitePreviewView = z.output<typeof SitePreviewViewSchema>;

const UnknownChargerViewSchema = z.object({
  identity: z.string(),
  remoteAddress: z.string().nullable(),
  firstAt: z.number(),
  lastAt: z.number(),
  attempts: z.number(),
  held: z.boolean(),
  connected: z.boolean(),
  vendor: z.string().nullable(),
  model: z.string().nullable(),
  firmware: z.string().nullable(),
});

export const UnknownChargersAnswerSchema: z.ZodType<UnknownChargersAnswer> = z.object({
  chargers: z.array(UnknownChargerViewSchema),
});

export const UnknownChargerAnswerSchema: z.ZodType<UnknownChargerAnswer> = UnknownChargerViewSchema.extend({
  suggestion: z.object({ connectors: z.number().nullable(), phaseRotation: z.enum(PHASE_ROTATIONS).nullable() }),
});
