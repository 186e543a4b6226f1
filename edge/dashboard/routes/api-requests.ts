/** What the dashboard API accepts, checked with zod on the server; the page imports only the types. */
import { z } from 'zod';
import { addReasonedIssue } from '../../../shared/reasoned-issue';
import { ConnectorRefSchema } from '../../../shared/site/connector-ref';
import { ChargerPasswordTextSchema } from '../../config/edge-config-schema';
import { ELECTION_TYPES } from '../../cluster/cluster-config';
import { IdSchema } from '../../../shared/site/site-schema';

/** The admin password: long enough to resist guessing on a LAN, short enough to hash quickly. */
const AdminPasswordSchema = z.string().min(12, 'use at least 12 characters').max(200);

export const SetupRequestSchema = z
  .object({ token: z.string().min(1).max(200), password: AdminPasswordSchema })
  .strict();
export const LoginRequestSchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) })
  .strict();
export const PasswordChangeRequestSchema = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: AdminPasswordSchema })
  .strict();

/** The site's election, changed for every node if it is still at `version` (the one the page read). */
export const ElectionChangeRequestSchema = z
  .object({
    electionType: z.enum(ELECTION_TYPES),
    staticOrder: z.array(IdSchema).min(1).max(9),
    version: z.string().regex(/^\d{1,20}$/, 'expected the version the page read'),
  })
  .strict();

export const ChargerEnabledRequestSchema = z.object({ enabled: z.boolean() }).strict();
export const ChargerVipRequestSchema = z.object({ vip: z.boolean() }).strict();
/** `set`: the installer's password; `generate`: the agent makes one and shows it once. */
export const ChargerPasswordRequestSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('set'), password: ChargerPasswordTextSchema }).strict(),
  z.object({ mode: z.literal('generate') }).strict(),
]);

/** "Test Request Allocation": a car on `connector` with `phases`, asking for at most `maxAmps` per phase. */
export const PreviewRequestSchema = z
  .object({
    // An empty connector is a form sent before it had any to offer: said as such, not as a malformed reference.
    connector: z
      .string()
      .superRefine((ref, ctx) => {
        if (ref === '') addReasonedIssue(ctx, [], 'testRequest.noConnector');
      })
      .pipe(ConnectorRefSchema),
    phases: z.literal([1, 2, 3]),
    maxAmps: z.number().finite().min(6, 'at least 6 A (IEC 61851 minimum)').max(1000),
    vip: z.boolean().default(false),
  })
  .strict();

export const MonitoringQuerySchema = z.object({ range: z.enum(['hour', 'day']).default('hour') }).strict();

export type SetupRequest = z.input<typeof SetupRequestSchema>;
export type LoginRequest = z.input<typeof LoginRequestSchema>;
export type PasswordChangeRequest = z.input<typeof PasswordChangeRequestSchema>;
export type ElectionChangeRequest = z.input<typeof ElectionChangeRequestSchema>;
export type ChargerPasswordRequest = z.input<typeof ChargerPasswordRequestSchema>;
export type PreviewRequest = z.output<typeof PreviewRequestSchema>;
export type MonitoringRange = z.output<typeof MonitoringQuerySchema>['range'];
