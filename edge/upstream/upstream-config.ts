/** The `upstream` section of the edge configuration: the operator's CSMS the agent stands in front of (docs/csms.md). */
import { z } from 'zod';
import { IdSchema } from '../../shared/site/site-schema';

/** A CSMS endpoint without the charger's identity: the agent appends `/<chargerId>`, as the charger itself would. */
const CsmsUrlSchema = z
  .string()
  .max(2048)
  .regex(/^wss?:\/\/[^\s]+[^/\s]$/, 'expected ws://host[:port]/path or wss://... (without a trailing slash)');

/** The password the agent presents to the CSMS for a charger (OCPP 1.6 security profiles 1 and 2: Basic auth). */
const UpstreamPasswordSchema = z.string().min(1).max(40);

const FileSchema = z.string().min(1).max(4096);

export const UpstreamChargerSchema = z
  .object({
    /** This charger's CSMS, when it is not the site's. */
    csmsUrl: CsmsUrlSchema.optional(),
    /** This charger's Basic auth password at the CSMS, when it is not the site's shared one. */
    password: UpstreamPasswordSchema.optional(),
  })
  .strict();

export const UNKNOWN_TAG_RULES = ['accept', 'reject', 'acceptIfFree'] as const;
export type UnknownTagRule = (typeof UNKNOWN_TAG_RULES)[number];

export const UpstreamConfigSchema = z
  .object({
    csmsUrl: CsmsUrlSchema,
    /** The Basic auth password for every charger without its own (absent: no Basic auth). */
    password: UpstreamPasswordSchema.optional(),
    chargers: z.record(IdSchema, UpstreamChargerSchema).default({}),
    /** PEM files, relative to the configuration file: the CSMS's CA, and for security profile 3 our client certificate. */
    tls: z
      .object({ caPath: FileSchema.optional(), certPath: FileSchema.optional(), keyPath: FileSchema.optional() })
      .strict()
      .refine((t) => (t.certPath === undefined) === (t.keyPath === undefined), {
        path: ['keyPath'],
        message: 'certPath and keyPath go together (security profile 3)',
      })
      .optional(),
    /** While the CSMS is out of reach: what to answer for an id tag neither its local list nor the cache knows. */
    unknownTags: z.enum(UNKNOWN_TAG_RULES).default('reject'),
    /** The site charges for free, so `acceptIfFree` accepts unknown tags; an operator who starts billing sets it false. */
    freeCharging: z.boolean().default(false),
    /** A tag the CSMS accepted is accepted offline for this long after the CSMS last said so. */
    authorizationCacheMaxAgeSeconds: z.number().int().min(0).max(31_536_000).default(604_800),
    /** How long a charger's call waits for the CSMS's answer before the agent answers it itself. */
    answerTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
    /** How long a queued message waits for the CSMS's answer before it is sent again (same content). */
    callTimeoutMs: z.number().int().min(100).max(300_000).default(30_000),
    /**
     * The backlog's bound per charger: beyond this many queued MeterValues the oldest ones between a transaction's
     * first and last are dropped (starts, stops, and each transaction's first and last meter values never are).
     */
    maxQueuedMeterValuesPerCharger: z.number().int().min(10).max(1_000_000).default(10_000),
    /**
     * The OCPP 2.0.1 local-controller rule: when a charger's link to the CSMS is lost, close the charger's connection
     * too, and take a charger at the WebSocket handshake only once its link to the CSMS is open (503 when it does not
     * open within `answerTimeoutMs`); its queued messages wait on disk. Off: the agent stands in for the CSMS.
     */
    closeChargerWhenCsmsLost: z.boolean().default(false),
    /** Reconnect delays: full jitter, uniform below min(max, initial * 2^attempt). */
    reconnect: z
      .object({
        initialDelayMs: z.number().int().min(10).max(60_000).default(1_000),
        maxDelayMs: z.number().int().min(10).max(3_600_000).default(60_000),
        /** Once one link of the site is open again, every other link waiting to retry does so within this. */
        siteRetryWithinMs: z.number().int().min(10).max(600_000).default(5_000),
      })
      .strict()
      .refine((r) => r.maxDelayMs >= r.initialDelayMs, {
        path: ['maxDelayMs'],
        message: 'must not be below initialDelayMs',
      })
      .default({ initialDelayMs: 1_000, maxDelayMs: 60_000, siteRetryWithinMs: 5_000 }),
  })
  .strict()
  .superRefine((upstream, ctx) => {
    const urls = [upstream.csmsUrl, ...Object.values(upstream.chargers).map((c) => c.csmsUrl)];
    if (upstream.tls?.certPath !== undefined && urls.some((url) => url?.startsWith('ws://'))) {
      ctx.addIssue({ code: 'custom', path: ['tls', 'certPath'], message: 'a client certificate needs wss:// URLs' });
    }
  });

export type UpstreamConfig = z.output<typeof UpstreamConfigSchema>;
export type UpstreamConfigInput = z.input<typeof UpstreamConfigSchema>;

/** Where and how one charger's upstream connection goes. */
export interface UpstreamEndpoint {
  readonly url: string;
  readonly password: string | undefined;
}

/** The charger's CSMS URL and password: its own when configured, else the site's. */
export function endpointOf(config: UpstreamConfig, chargerId: string): UpstreamEndpoint {
  const own = config.chargers[chargerId];
  return { url: own?.csmsUrl ?? config.csmsUrl, password: own?.password ?? config.password };
}
