/** Signs in to a running agent's dashboard through its one-time setup link, then reads its monitoring answer. */
import type { MonitoringAnswer } from '../../../../shared/dashboard/api-answers';
import type { RunningAgent } from '../../../../edge/main';

export interface DashboardSession {
  /** The device-monitoring answer (meter health and recent events), signed in as the admin. */
  monitoring(): Promise<MonitoringAnswer>;
}

export function dashboardSession(agent: RunningAgent, password: string): DashboardSession {
  let cookie: string | undefined;
  const signIn = async (): Promise<string> => {
    const token = agent.dashboardSetupUrl?.split('#/setup/')[1];
    if (agent.dashboardUrl === undefined || token === undefined)
      throw new Error('the agent started without its dashboard setup link');
    const response = await fetch(new URL('api/setup', agent.dashboardUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, password }),
    });
    if (!response.ok) throw new Error(`dashboard setup answered ${response.status}`);
    return (response.headers.get('Set-Cookie') ?? '').split(';')[0]!;
  };
  return {
    async monitoring() {
      cookie ??= await signIn();
      const response = await fetch(new URL('api/monitoring?range=hour', agent.dashboardUrl), {
        headers: { Cookie: cookie },
      });
      if (!response.ok) throw new Error(`monitoring answered ${response.status}`);
      return (await response.json()) as MonitoringAnswer;
    },
  };
}
