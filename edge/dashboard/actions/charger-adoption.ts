/**
 * Adopting a charger that dialled in with an identity the site does not list: what it reports (its connectors and phase
 * rotation, asked with GetConfiguration while it is held Pending, which OCPP 1.6 allows) prefills its site entry; the
 * entry the installer confirms goes into a new site version under a circuit, with its password.
 */
import { z } from 'zod';
import { AppError, type FieldIssue } from '../../../shared/errors';
import { IdSchema, SiteSchema, type ChargerInputEntry, type Site } from '../../../shared/site/site-schema';
import { PHASE_ROTATIONS, type PhaseRotation } from '../../../shared/units';
import { fieldIssues } from '../../../shared/validation';
import { ChargerPasswordTextSchema } from '../../config/edge-config-schema';
import { parsePhaseRotation } from '../../ocpp/boot-configuration';
import type { ChargerCommands } from '../dashboard-ports';

export const AdoptRequestSchema = z
  .object({
    /** The site version the installer saw: a change saved since is not overwritten (409). */
    baseVersion: z.number().int().min(0),
    circuit: IdSchema,
    phases: z.literal([1, 3]),
    phaseRotation: z.enum(PHASE_ROTATIONS).optional(),
    maxAmps: z.number().finite().positive().max(1000),
    minAmps: z.number().finite().nonnegative().max(1000).optional(),
    connectors: z.number().int().min(1).max(10).default(1),
    /** The password the charger presents (OCPP security profile 1); required while `ocpp.basicAuth` is on. */
    password: ChargerPasswordTextSchema.optional(),
  })
  .strict();
export type AdoptRequest = z.output<typeof AdoptRequestSchema>;

/** What the charger reports about itself, to prefill its entry. */
export interface AdoptionSuggestion {
  readonly connectors: number | undefined;
  readonly phaseRotation: PhaseRotation | undefined;
}

/** Asks a connected charger for its connectors and rotation; nothing when it is not connected or does not answer. */
export async function suggestEntry(identity: string, commands: ChargerCommands): Promise<AdoptionSuggestion> {
  if (!commands.isConnected(identity)) return { connectors: undefined, phaseRotation: undefined };
  const read = await commands.command(identity, 'GetConfiguration', {
    key: ['ConnectorPhaseRotation', 'NumberOfConnectors'],
  });
  const keys = read.kind === 'accepted' ? (read.response.configurationKey ?? []) : [];
  const valueOf = (key: string) => keys.find((k) => k.key === key)?.value;
  const connectors = Number(valueOf('NumberOfConnectors'));
  return {
    connectors: Number.isInteger(connectors) && connectors >= 1 && connectors <= 10 ? connectors : undefined,
    phaseRotation: parsePhaseRotation(valueOf('ConnectorPhaseRotation')),
  };
}

/**
 * The site with the charger added under its circuit, checked with the site schema; a bad entry is refused (400) with
 * every issue at the request's own field (`circuit`, `maxAmps`), the rest at their site paths.
 */
export function siteWithCharger(site: Site, identity: string, request: AdoptRequest): Site {
  if (site.chargers.some((c) => c.id === identity))
    throw new AppError('resource.conflict', `charger "${identity}" is part of the site already`);
  const entry: ChargerInputEntry = {
    id: identity,
    circuit: request.circuit,
    phases: request.phases,
    maxAmps: request.maxAmps,
    ...(request.phaseRotation !== undefined && { phaseRotation: request.phaseRotation }),
    ...(request.minAmps !== undefined && { minAmps: request.minAmps }),
    connectors: Array.from({ length: request.connectors }, (_, i) => ({ id: i + 1 })),
  };
  const parsed = SiteSchema.safeParse({ ...site, chargers: [...site.chargers, entry] });
  if (parsed.success) return parsed.data;
  const own = `chargers[${site.chargers.length}]`;
  const issues: FieldIssue[] = fieldIssues(parsed.error).map((issue) =>
    issue.path.startsWith(`${own}.`) ? { ...issue, path: issue.path.slice(own.length + 1) } : issue,
  );
  throw new AppError(
    'site.invalid',
    `the charger cannot join the site: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}
