/**
 * The charging profiles the agent sent each charger, with the charger's answer and its time: per connector (0: the
 * charger as a whole, where the fail-safe and the idle hold go) the last few of each kind, newest first, so that the
 * dashboard shows what the charger was told beside what it reports it holds. Recorded where the agent's calls go out
 * (`ChargerConnections`), for every SetChargingProfile whatever sent it (boot configuration, leases, idle holds);
 * bounded per connector and kind (the idle hold's renewals never push the fail-safe out) and in chargers (the least
 * recently sent to is forgotten first), and kept in memory only.
 */
import { z } from 'zod';
import type { SentProfileView } from '../../shared/dashboard/sent-profiles-answer';
import {
  ChargingProfileSchema,
  FAIL_SAFE_PROFILE_ID,
  IDLE_HOLD_PROFILE_ID,
  LEASE_PROFILE_ID_BASE,
} from './charging-profile';
import { failure, type RpcCaller } from './command-sender';

/** Profiles kept per connector and kind: enough to see a few renewals and what came before them. */
export const SENT_PROFILES_PER_KIND = 4;
/** Chargers kept: a site's chargers, up to a size where this record must not grow the agent's memory further. */
export const SENT_PROFILES_MAX_CHARGERS = 1000;

const SetChargingProfileParamsSchema = z.object({
  connectorId: z.number().int(),
  csChargingProfiles: ChargingProfileSchema,
});
const StatusSchema = z.object({ status: z.string() });

type SentRecord = { -readonly [K in keyof SentProfileView]: SentProfileView[K] };
type ByKind = Map<SentProfileView['kind'], SentRecord[]>;

export class SentProfiles {
  /** Per charger, per connector, per kind, newest first; a Map's order is the order chargers were last sent to. */
  private readonly byCharger = new Map<string, Map<number, ByKind>>();

  constructor(private readonly now: () => number) {}

  /** `caller`, recording each SetChargingProfile it sends `chargerId` and the answer. */
  recording(chargerId: string, caller: RpcCaller): RpcCaller {
    return {
      call: async (method, params, options) => {
        const parsed = method === 'SetChargingProfile' ? SetChargingProfileParamsSchema.safeParse(params) : undefined;
        if (parsed?.success !== true) return caller.call(method, params, options);
        const record = this.add(chargerId, parsed.data);
        try {
          const answer = await caller.call(method, params, options);
          const status = StatusSchema.safeParse(answer);
          Object.assign(record, { outcome: 'answered', status: status.success ? status.data.status : null });
          return answer;
        } catch (error) {
          const failed = failure(error);
          Object.assign(record, { outcome: failed.kind, status: failed.kind === 'error' ? failed.code : null });
          throw error;
        } finally {
          record.answeredAt = this.now();
        }
      },
    };
  }

  /** A charger's record, connectors in order, each connector's profiles newest first. */
  of(chargerId: string): { connectorId: number; profiles: SentProfileView[] }[] {
    const connectors = this.byCharger.get(chargerId) ?? new Map<number, ByKind>();
    return [...connectors]
      .sort(([a], [b]) => a - b)
      .map(([connectorId, kinds]) => ({
        connectorId,
        profiles: [...kinds.values()]
          .flat()
          .sort((a, b) => b.sentAt - a.sentAt)
          .map((p) => ({ ...p })),
      }));
  }

  private add(chargerId: string, params: z.output<typeof SetChargingProfileParamsSchema>): SentRecord {
    const profile = params.csChargingProfiles;
    const { chargingSchedule: schedule } = profile;
    const record: SentRecord = {
      sentAt: this.now(),
      kind: kindOf(profile.chargingProfileId),
      chargingProfileId: profile.chargingProfileId,
      purpose: profile.chargingProfilePurpose,
      stackLevel: profile.stackLevel,
      transactionId: profile.transactionId ?? null,
      rateUnit: schedule.chargingRateUnit,
      periods: schedule.chargingSchedulePeriod.map((p) => ({ ...p })),
      durationSeconds: schedule.duration ?? null,
      validTo: profile.validTo ?? null,
      outcome: 'pending',
      status: null,
      answeredAt: null,
    };
    const connectors = this.byCharger.get(chargerId) ?? new Map<number, ByKind>();
    this.byCharger.delete(chargerId);
    this.byCharger.set(chargerId, connectors);
    if (this.byCharger.size > SENT_PROFILES_MAX_CHARGERS) {
      const oldest = this.byCharger.keys().next().value;
      if (oldest !== undefined) this.byCharger.delete(oldest);
    }
    const kinds = connectors.get(params.connectorId) ?? (new Map() as ByKind);
    connectors.set(params.connectorId, kinds);
    const list = [record, ...(kinds.get(record.kind) ?? [])].slice(0, SENT_PROFILES_PER_KIND);
    kinds.set(record.kind, list);
    return record;
  }
}

function kindOf(profileId: number): SentProfileView['kind'] {
  if (profileId === FAIL_SAFE_PROFILE_ID) return 'failSafe';
  if (profileId === IDLE_HOLD_PROFILE_ID) return 'idleHold';
  return profileId > LEASE_PROFILE_ID_BASE ? 'lease' : 'other';
}
