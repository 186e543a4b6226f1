/** The `sync` section of the edge configuration: broker, identity, outbox limits and telemetry rate (parsed once, at the root). */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { IdSchema } from '../../shared/site/site-schema';
import { fieldIssues } from '../../shared/validation';

/** AWS IoT thing names: letters, digits, colon, underscore and hyphen, at most 128 characters. */
const ThingNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9:_-]{1,128}$/, 'expected 1-128 letters, digits, ":", "_" or "-" (an AWS IoT thing name)');
const FileSchema = z.string().min(1).max(4096);

/** AWS IoT Core: TLS on 8883 with the gateway's X.509 certificate and key, and the Amazon root CA. */
const AwsIotBrokerSchema = z
  .object({
    kind: z.literal('aws-iot'),
    /** The account's data endpoint, e.g. `abc123-ats.iot.eu-west-1.amazonaws.com`. */
    endpoint: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'expected a host name'),
    port: z.number().int().min(1).max(65535).default(8883),
    certPath: FileSchema,
    keyPath: FileSchema,
    caPath: FileSchema,
  })
  .strict();

/** The local broker (aedes or Mosquitto) with the gateway's user name and password; `mqtts:` for TLS. */
const LocalBrokerSchema = z
  .object({
    kind: z.literal('local'),
    url: z.string().regex(/^mqtts?:\/\/[^\s/]+(:[0-9]{1,5})?\/?$/, 'expected mqtt://host:port or mqtts://host:port'),
    username: z.string().min(1).max(128),
    password: z.string().min(1).max(512),
    /** CA for an `mqtts:` URL with a private certificate authority. */
    caPath: FileSchema.optional(),
  })
  .strict();

const ReconnectSchema = z
  .object({
    initialDelayMs: z.number().int().min(10).max(60_000).default(1_000),
    maxDelayMs: z.number().int().min(100).max(3_600_000).default(60_000),
  })
  .strict()
  .refine((r) => r.maxDelayMs >= r.initialDelayMs, {
    message: 'maxDelayMs must be at least initialDelayMs',
    path: ['maxDelayMs'],
  });

export const OutboxLimitsSchema = z
  .object({
    /** Payload bytes kept on disk before telemetry is downsampled (see docs/sync.md, "When the outbox is full"). */
    maxBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(16 * 1024 ** 3)
      .default(64 * 1024 ** 2),
    /** Messages per published batch (AWS IoT Core: one batch must stay within 128 KiB). */
    batchMessages: z.number().int().min(1).max(100).default(100),
    /** Batches per stream awaiting the broker's PUBACK at once. */
    inflightBatches: z.number().int().min(1).max(32).default(4),
  })
  .strict();

export const SyncConfigSchema = z
  .object({
    broker: z.discriminatedUnion('kind', [AwsIotBrokerSchema, LocalBrokerSchema]),
    /** The gateway's IoT thing; also the MQTT client id. */
    thingName: ThingNameSchema,
    siteId: IdSchema,
    /** AWS IoT accepts 30 to 1200 s. */
    keepaliveSeconds: z.number().int().min(5).max(1200).default(30),
    connectTimeoutMs: z.number().int().min(1_000).max(120_000).default(30_000),
    reconnect: ReconnectSchema.default({ initialDelayMs: 1_000, maxDelayMs: 60_000 }),
    outbox: OutboxLimitsSchema.default({ maxBytes: 64 * 1024 ** 2, batchMessages: 100, inflightBatches: 4 }),
    /** One telemetry sample every this many seconds. */
    telemetryIntervalSeconds: z.number().int().min(1).max(3600).default(10),
  })
  .strict();

export type SyncConfigInput = z.input<typeof SyncConfigSchema>;
export type SyncConfig = z.output<typeof SyncConfigSchema>;
export type OutboxLimits = z.output<typeof OutboxLimitsSchema>;
export type BrokerConfig = SyncConfig['broker'];

/** Parses the sync section or throws `config.invalid` listing every bad field, with paths under `at` (e.g. `sync.broker.port`). */
export function parseSyncConfig(input: unknown, at = 'sync'): SyncConfig {
  const result = SyncConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error).map((i) => ({
    path: i.path === '(root)' ? at : `${at}.${i.path}`,
    message: i.message,
  }));
  throw new AppError(
    'config.invalid',
    `invalid ${at} configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
    { cause: result.error },
  );
}
