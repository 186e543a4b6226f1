/** The site model: a tree of circuits with fuses, and chargers with connectors as its leaves. */
import { z } from 'zod';
import type { DeepReadonly } from '../deep-readonly';
import { addReasonedIssue, patternMessage } from '../reasoned-issue';
import { PHASE_ROTATIONS } from '../units';

/** Identifiers: what OCPP allows in a charge point identity, and nothing that breaks a URL or a topic. */
export const IdSchema = z
  .string()
  .min(1)
  .max(48)
  .regex(/^[A-Za-z0-9._:-]+$/, patternMessage('site.idCharacters'));

const amps = (max: number) => z.number().finite().nonnegative().max(max);

/** A fuse rating: the same amps on every phase, or one value per phase [L1, L2, L3]. */
export const FuseAmpsSchema = z.union([amps(100_000), z.tuple([amps(100_000), amps(100_000), amps(100_000)])]);

export const CircuitSchema = z
  .object({
    id: IdSchema,
    name: z.string().max(100).optional(),
    /** The parent circuit, or null for the grid connection (the root). */
    parent: IdSchema.nullable(),
    fuseAmps: FuseAmpsSchema,
    /** The energy meter that measures everything this circuit feeds, for dynamic load management. */
    meterId: IdSchema.optional(),
  })
  .strict();

export const ConnectorSchema = z
  .object({
    id: z.number().int().min(1).max(99),
    /** The cable's or socket's own limit, when below the charger's. */
    maxAmps: amps(1000).optional(),
    minAmps: amps(1000).optional(),
    priority: z.number().int().min(0).max(9).optional(),
    vip: z.boolean().optional(),
  })
  .strict();

export const ChargerSchema = z
  .object({
    id: IdSchema,
    circuit: IdSchema,
    phases: z.literal([1, 3]),
    phaseRotation: z.enum(PHASE_ROTATIONS).default('L1L2L3'),
    /** The charger's limit per phase, shared by all its connectors. */
    maxAmps: amps(1000),
    /** Below this a car cannot charge (IEC 61851: 6 A); allocations are 0 or at least this. */
    minAmps: amps(1000).default(6),
    priority: z.number().int().min(0).max(9).default(0),
    vip: z.boolean().default(false),
    model: z.string().max(100).optional(),
    vendor: z.string().max(100).optional(),
    connectors: z
      .array(ConnectorSchema)
      .min(1)
      .max(10)
      .default([{ id: 1 }]),
  })
  .strict();

export const SiteSchema = z
  .object({
    $schemaVersion: z.literal(1),
    id: IdSchema,
    name: z.string().max(200).optional(),
    /** Line-to-neutral voltage used to turn kW into amps. */
    nominalVolts: z.number().min(100).max(400).default(230),
    /** IANA time zone for budget schedules. */
    timezone: z.string().min(1).default('UTC'),
    circuits: z.array(CircuitSchema).min(1).max(5000),
    chargers: z.array(ChargerSchema).max(20_000),
  })
  .strict()
  .superRefine((site, ctx) => {
    checkTimezone(site.timezone, ctx);
    checkCircuitTree(site.circuits, ctx);
    checkChargers(site, ctx);
  });

export type SiteInput = z.input<typeof SiteSchema>;
/** A charger's entry as written (defaults not yet applied). */
export type ChargerInputEntry = z.input<typeof ChargerSchema>;
/** A parsed site, deeply readonly: the allocator keys its caches by the site object, so a change must be a new one. */
export type Site = DeepReadonly<z.output<typeof SiteSchema>>;
export type Circuit = DeepReadonly<z.output<typeof CircuitSchema>>;
export type Charger = DeepReadonly<z.output<typeof ChargerSchema>>;
export type ConnectorConfig = DeepReadonly<z.output<typeof ConnectorSchema>>;

type Ctx = z.RefinementCtx;

/**
 * The canonical IANA zones the runtime knows (and `UTC`, the default, which the list leaves out), read once. Building
 * a date formatter for a zone pulls about 5 MB of ICU's locale and calendar data into the process, resident for its
 * life (docs/benchmarks.md, edge capacity); the list reads only the zone table. A name the list does not hold (an alias
 * such as `Etc/UTC` or `US/Eastern`, another spelling) is still tried with a formatter, so what is accepted is unchanged.
 */
let canonicalZones: ReadonlySet<string> | undefined;

function isKnownTimezone(timezone: string): boolean {
  canonicalZones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  if (canonicalZones.has(timezone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function checkTimezone(timezone: string, ctx: Ctx): void {
  if (!isKnownTimezone(timezone)) addReasonedIssue(ctx, ['timezone'], 'site.unknownTimezone', { timezone });
}

function checkCircuitTree(circuits: readonly Circuit[], ctx: Ctx): void {
  const index = new Map<string, number>();
  circuits.forEach((c, i) => {
    if (index.has(c.id)) addReasonedIssue(ctx, ['circuits', i, 'id'], 'site.duplicateCircuit', { id: c.id });
    else index.set(c.id, i);
  });
  const roots = circuits.filter((c) => c.parent === null);
  if (roots.length !== 1) addReasonedIssue(ctx, ['circuits'], 'site.oneRoot', { count: roots.length });
  circuits.forEach((c, i) => {
    if (c.parent !== null && !index.has(c.parent)) {
      addReasonedIssue(ctx, ['circuits', i, 'parent'], 'site.unknownParent', { parent: c.parent });
      return;
    }
    const seen = new Set<string>([c.id]);
    let parent = c.parent;
    while (parent !== null) {
      if (seen.has(parent)) {
        addReasonedIssue(ctx, ['circuits', i, 'parent'], 'site.cycle', { id: c.id });
        return;
      }
      seen.add(parent);
      parent = circuits[index.get(parent) ?? -1]?.parent ?? null;
    }
  });
}

function checkChargers(site: { circuits: readonly Circuit[]; chargers: readonly Charger[] }, ctx: Ctx): void {
  const circuitIds = new Set(site.circuits.map((c) => c.id));
  const chargerIds = new Set<string>();
  site.chargers.forEach((charger, i) => {
    const at = (...path: (string | number)[]) => ['chargers', i, ...path];
    if (chargerIds.has(charger.id)) addReasonedIssue(ctx, at('id'), 'site.duplicateCharger', { id: charger.id });
    chargerIds.add(charger.id);
    if (!circuitIds.has(charger.circuit))
      addReasonedIssue(ctx, at('circuit'), 'site.unknownCircuit', { circuit: charger.circuit });
    if (charger.minAmps > charger.maxAmps) {
      const amps = { minAmps: charger.minAmps, maxAmps: charger.maxAmps };
      addReasonedIssue(ctx, at('minAmps'), 'site.chargerMinAboveMax', amps);
    }
    const connectorIds = new Set<number>();
    charger.connectors.forEach((connector, j) => {
      if (connectorIds.has(connector.id))
        addReasonedIssue(ctx, at('connectors', j, 'id'), 'site.duplicateConnector', { id: connector.id });
      connectorIds.add(connector.id);
      const max = Math.min(connector.maxAmps ?? charger.maxAmps, charger.maxAmps);
      const min = connector.minAmps ?? charger.minAmps;
      if (min > max)
        addReasonedIssue(ctx, at('connectors', j, 'minAmps'), 'site.connectorMinAboveMax', {
          minAmps: min,
          maxAmps: max,
        });
    });
  });
}
