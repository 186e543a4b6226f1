/** Everything the dashboard's routes share, built once per dashboard from its deps and settings. */
import type { AllocationsAnswer, ChargerView, CloudStatus } from '../../shared/dashboard/api-answers';
import { AdminAccount } from './auth/admin-account';
import { createAuditor, type Auditor } from './auth/audit-log';
import { LoginSessions } from './auth/login-sessions';
import { allocationsAnswer } from './views/allocation-views';
import type { DashboardDeps } from './dashboard-ports';
import { chargerViews, deviceSources } from './views/device-views';
import { LiveHub } from './live/live-hub';
import { createLocalPolicyApplier, type LocalPolicyApplier } from './actions/policy-apply';

export interface DashboardSettings {
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
  /** The address the dashboard listens on, and the other names it answers to (DNS rebinding guard). */
  readonly host: string;
  readonly allowedHosts: readonly string[];
}

export interface DashboardServices {
  readonly deps: DashboardDeps;
  readonly settings: DashboardSettings;
  readonly account: AdminAccount;
  readonly sessions: LoginSessions;
  readonly audit: Auditor;
  readonly policy: LocalPolicyApplier;
  readonly live: LiveHub;
  devices(): ChargerView[];
  allocations(): AllocationsAnswer;
  cloudStatus(): CloudStatus;
}

export function createDashboardServices(deps: DashboardDeps, settings: DashboardSettings): DashboardServices {
  const now = () => deps.clock.now();
  const { reader } = deps;
  const snapshot = () => deps.control.snapshot();
  return {
    deps,
    settings,
    account: new AdminAccount({ ...deps.admin, now }),
    sessions: new LoginSessions(
      { idleMs: settings.sessionIdleMinutes * 60_000, maxMs: settings.sessionMaxHours * 3600_000 },
      now,
    ),
    audit: createAuditor(deps.log),
    policy: createLocalPolicyApplier(deps.policyInForce, deps.cloud),
    live: new LiveHub(deps.clock),
    devices: () => chargerViews(reader.site.chargers, deviceSources(deps)),
    allocations: () =>
      allocationsAnswer(deps.control.allocation, {
        site: reader.site,
        snapshot: snapshot(),
        chargers: deps.chargers,
        activity: deps.feed.activity,
      }),
    cloudStatus: () => {
      if (deps.cloud === undefined) return { linked: false };
      const status = deps.cloud.status();
      return {
        linked: true,
        link: status.link.status,
        followsLeadership: status.followsLeadership,
        since: status.link.since,
        attempts: status.link.attempts,
        lastError: status.link.lastError ?? null,
        outboxMessages: status.outbox.messages,
        outboxBytes: status.outbox.bytes,
        oldestAt: status.outbox.oldestAt ?? null,
        policyVersion: status.policy.inForce.version,
        policySource: status.policy.inForce.source,
      };
    },
  };
}
