/** The edge agent's configuration file: site, policy, meters, OCPP server, charger passwords, control timing, storage, logging, cloud sync, dashboard, upstream CSMS, cluster. */
import { z } from 'zod';
import { ClusterConfigSchema, LAN_FRAME_MS, twoGatewayLeaseFloorMs } from '../cluster/cluster-config';
import { PolicySchema } from '../../shared/policy/policy-schema';
import { IdSchema, SiteSchema } from '../../shared/site/site-schema';
import { MeterConfigListSchema, circuitMeterIssues } from '../meter/meter-config';
import { IdTagSchema, REGISTRATION_STATUSES } from '../ocpp/ocpp-values';
import { SyncConfigSchema } from '../sync/sync-config';
import { UpstreamConfigSchema } from '../upstream/upstream-config';

const ms = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);

/** Back-off after failed sign-ins (edge/security/auth-throttle.ts), per identity and per source address. */
const lockoutSchema = (maxLockoutSeconds: number) =>
  z
    .object({
      /** Failures in a row allowed before each further one locks the identity (or address) out. */
      freeFailures: z.number().int().min(1).max(100).default(5),
      /** The first lockout; it doubles with every further failure. */
      firstLockoutSeconds: z.number().int().min(1).max(3600).default(1),
      /** The longest lockout. */
      maxLockoutSeconds: z.number().int().min(1).max(86_400).default(maxLockoutSeconds),
    })
    .strict()
    .refine((l) => l.maxLockoutSeconds >= l.firstLockoutSeconds, {
      path: ['maxLockoutSeconds'],
      message: 'must not be below firstLockoutSeconds',
    });

/** A charger locked out reconnects on its own: five minutes at most, so a mistyped password costs little once fixed. */
export const OcppAuthLockoutSchema = lockoutSchema(300);
/** A person can wait: fifteen minutes at most. */
export const SignInLockoutSchema = lockoutSchema(900);

export const OcppServerSchema = z
  .object({
    host: z.string().min(1).max(253).default('0.0.0.0'),
    port: z.number().int().min(0).max(65_535).default(9000),
    /** Security profile 2: PEM files, relative to the configuration file. */
    tls: z
      .object({ certPath: z.string().min(1), keyPath: z.string().min(1) })
      .strict()
      .optional(),
    /** Security profile 1: every charger presents its password (HTTP Basic auth). */
    basicAuth: z.boolean().default(true),
    unknownChargers: z.enum(REGISTRATION_STATUSES).default('Rejected'),
    heartbeatIntervalSeconds: z.number().int().min(10).max(86_400).default(300),
    /**
     * How often the central system pings each charger's WebSocket (a charger that leaves a ping unanswered until the
     * next is disconnected). Without a witness it also sets how long a node counts a charger it no longer hears, and
     * how long a charger that moved in waits before it counts (docs/cluster.md, "The two-gateway rule").
     */
    pingIntervalSeconds: z.number().int().min(1).max(3600).default(30),
    meterSampleIntervalSeconds: z.number().int().min(1).max(3600).default(10),
    commandTimeoutMs: ms(100, 120_000, 5_000),
    maxFrameBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(64 * 1024),
    maxBadMessages: z.number().int().min(1).max(1000).default(10),
    authLockout: OcppAuthLockoutSchema.default(() => OcppAuthLockoutSchema.parse({})),
  })
  .strict();

/** A password as stored: `scrypt$N$r$p$salt$hash` (edge/security/password-hash.ts). */
export const ScryptHashSchema = z
  .string()
  .regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'expected scrypt$N$r$p$salt$hash');

/** What a charger's Basic auth password must look like (OCPP 1.6 security profile 1: 16 to 40 characters). */
export const ChargerPasswordTextSchema = z.string().min(16, 'use at least 16 characters').max(40);

/** A charger password in the clear (hashed at start, never stored as such) or already as an scrypt hash. */
export const ChargerPasswordSchema = z.union([
  z.object({ password: ChargerPasswordTextSchema }).strict(),
  z.object({ hash: ScryptHashSchema }).strict(),
]);

export const IdTagListSchema = z
  .object({
    /** Accept any id tag (sites without a tag list); VIP tags still come from the policy. */
    acceptAny: z.boolean().default(false),
    accepted: z.array(IdTagSchema).max(100_000).default([]),
  })
  .strict();

export const ControlTimingSchema = z
  .object({
    /** Events closer together than this share one allocation round. */
    debounceMs: ms(0, 10_000, 200),
    /** Periodic round: rotation, schedules, lease renewal, saving energy. */
    tickMs: ms(100, 60_000, 5_000),
    /** Dynamic limits expire after this unless renewed (the charger then falls back to its fail-safe). */
    leaseSeconds: z.number().int().min(10).max(86_400).default(120),
    /** A charger whose limit was refused or unanswered this many times in a row counts as unresponsive. */
    unresponsiveAfterFailures: z.number().int().min(1).max(100).default(3),
    retryInitialMs: ms(10, 600_000, 1_000),
    retryMaxMs: ms(10, 3_600_000, 30_000),
    /** Session energy is written to disk at most this often. */
    saveEnergyEverySeconds: z.number().int().min(1).max(3600).default(30),
    /** The longest a car takes to follow a lower limit (IEC 61851: 5 s): dynamic mode counts a cut car at its old limit that long. */
    carResponseMs: ms(0, 10_000, 5_000),
  })
  .strict();

export const DashboardConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** The site LAN address to serve on; the default keeps the page on this machine until an installer opens it up. */
    host: z.string().min(1).max(253).default('127.0.0.1'),
    /** When taken, the dashboard listens on a free port and logs it (the control loop never waits for the page). */
    port: z.number().int().min(0).max(65_535).default(8080),
    /** The admin password as an scrypt hash; absent, the first start prints a one-time setup link. */
    adminPasswordHash: ScryptHashSchema.optional(),
    /** A signed-in session ends after this long without a request, and after `sessionMaxHours` in any case. */
    sessionIdleMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    sessionMaxHours: z
      .number()
      .int()
      .min(1)
      .max(7 * 24)
      .default(12),
    signInLockout: SignInLockoutSchema.default(() => SignInLockoutSchema.parse({})),
    /**
     * Host names the page answers to besides IP literals, localhost and `host` (DNS rebinding guard); a leading dot
     * allows a domain and its subdomains.
     */
    allowedHosts: z
      .array(
        z
          .string()
          .min(1)
          .max(253)
          .regex(
            /^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/,
            'expected a host name, or .domain for a domain and its subdomains',
          ),
      )
      .max(50)
      .default([]),
  })
  .strict();

export const LoggingSchema = z
  .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
  .strict();

export const EdgeConfigSchema = z
  .object({
    $schemaVersion: z.literal(1),
    site: SiteSchema,
    policy: PolicySchema,
    meters: MeterConfigListSchema.default([]),
    ocpp: OcppServerSchema.default(() => OcppServerSchema.parse({})),
    chargerPasswords: z.record(IdSchema, ChargerPasswordSchema).default({}),
    idTags: IdTagListSchema.default(() => IdTagListSchema.parse({})),
    control: ControlTimingSchema.default(() => ControlTimingSchema.parse({})),
    /** Where the agent keeps its database; relative to the configuration file. */
    dataDir: z.string().min(1).max(4096),
    logging: LoggingSchema.default(() => LoggingSchema.parse({})),
    /** The link to the cloud (AWS IoT Core or the local broker); absent, the agent runs alone. */
    sync: SyncConfigSchema.optional(),
    /** The site's own web dashboard, served by the agent. */
    dashboard: DashboardConfigSchema.default(() => DashboardConfigSchema.parse({})),
    /** The operator's CSMS the agent stands in front of (docs/csms.md); absent, the agent is the chargers' only central system. */
    upstream: UpstreamConfigSchema.optional(),
    /** This agent as one node of the site's cluster (docs/cluster.md); absent, it is the site's only agent. */
    cluster: ClusterConfigSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of circuitMeterIssues(config.site, config.meters)) {
      ctx.addIssue({ code: 'custom', path: ['site', ...pathOf(issue.path)], message: issue.message });
    }
    const chargerIds = new Set(config.site.chargers.map((c) => c.id));
    for (const id of Object.keys(config.chargerPasswords)) {
      if (!chargerIds.has(id))
        ctx.addIssue({ code: 'custom', path: ['chargerPasswords', id], message: `no charger "${id}" in the site` });
    }
    if (config.ocpp.basicAuth) {
      config.site.chargers.forEach((c, i) => {
        if (config.chargerPasswords[c.id] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['site', 'chargers', i, 'id'],
            message: `basic auth is on but charger "${c.id}" has no entry in chargerPasswords`,
          });
        }
      });
    }
    for (const id of Object.keys(config.upstream?.chargers ?? {})) {
      if (!chargerIds.has(id))
        ctx.addIssue({ code: 'custom', path: ['upstream', 'chargers', id], message: `no charger "${id}" in the site` });
    }
    // Without a witness there is no ledger and no master: each gateway would open its own links to the CSMS for the
    // same identities and keep its own forward log and the CSMS's limits (docs/cluster.md, "In front of an operator's CSMS").
    if (config.cluster?.witness === false && config.upstream !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['upstream'],
        message: 'needs a cluster with a witness (etcd): two gateways without one cannot share the links to the CSMS',
      });
    }
    const { control } = config;
    if (control.retryMaxMs < control.retryInitialMs)
      ctx.addIssue({ code: 'custom', path: ['control', 'retryMaxMs'], message: 'must not be below retryInitialMs' });
    if (config.sync !== undefined && config.sync.siteId !== config.site.id) {
      ctx.addIssue({ code: 'custom', path: ['sync', 'siteId'], message: `must be the site's id "${config.site.id}"` });
    }
    if (control.tickMs * 3 > control.leaseSeconds * 1000) {
      ctx.addIssue({
        code: 'custom',
        path: ['control', 'leaseSeconds'],
        message: `must be at least 3 ticks (${(control.tickMs * 3) / 1000} s) so leases are renewed in time`,
      });
    }
    const leaseFloorMs = twoGatewayLeaseFloorMs(config.ocpp.commandTimeoutMs);
    if (config.cluster?.witness === false && control.leaseSeconds * 1000 < leaseFloorMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['control', 'leaseSeconds'],
        message:
          `must be at least ocpp.commandTimeoutMs plus ${LAN_FRAME_MS / 1000} s for the LAN (${leaseFloorMs / 1000} s) ` +
          'without a witness, so the leases the other gateway sent have run out when this one exceeds the fail-safe',
      });
    }
  });

export type EdgeConfigInput = z.input<typeof EdgeConfigSchema>;
export type EdgeConfig = z.output<typeof EdgeConfigSchema>;
export type OcppServerConfig = z.output<typeof OcppServerSchema>;
export type ControlTiming = z.output<typeof ControlTimingSchema>;
export type ChargerPassword = z.output<typeof ChargerPasswordSchema>;
export type DashboardConfig = z.output<typeof DashboardConfigSchema>;

/** Turns `circuits[2].meterId` back into path segments. */
function pathOf(rendered: string): (string | number)[] {
  return rendered
    .split(/\.|\[|\]/)
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
