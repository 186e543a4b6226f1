/**
 * Signs in to a running agent's dashboard (through its one-time setup link, or with the password once one is set), then
 * reads its monitoring answer or calls any of its API routes.
 */
import type { MonitoringAnswer } from '../../../../shared/dashboard/api-answers';
import type { RunningAgent } from '../../../../edge/main';

export interface DashboardSession {
  /** The device-monitoring answer (meter health and recent events), signed in as the admin. */
  monitoring(): Promise<MonitoringAnswer>;
  /** Calls `/api/<path>` with a JSON body; answers the status and the parsed JSON (or the text when it is not JSON). */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

export function dashboardSession(agent: RunningAgent, password: string): DashboardSession {
  let cookie: string | undefined;
  let csrf = '';
  const signIn = async (): Promise<string> => {
    const token = agent.dashboardSetupUrl?.split('#/setup/')[1];
    if (agent.dashboardUrl === undefined) throw new Error('the agent started without its dashboard');
    // A restarted agent has its admin password already: it signs in instead.
    const response = await fetch(new URL(token === undefined ? 'api/login' : 'api/setup', agent.dashboardUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(token === undefined ? { username: 'admin', password } : { token, password }),
    });
    if (!response.ok) throw new Error(`dashboard setup answered ${response.status}`);
    csrf = ((await response.json()) as { csrfToken: string }).csrfToken;
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
    async api(method, path, body) {
      cookie ??= await signIn();
      const response = await fetch(new URL(`api/${path}`, agent.dashboardUrl), {
        method,
        headers: {
          Cookie: cookie,
          'X-CSRF-Token': csrf,
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const json: unknown = (response.headers.get('Content-Type') ?? '').includes('json') ? JSON.parse(text) : text;
      return { status: response.status, body: json };
    },
  };
}
