/** The agent's dashboard API for the upstream tests: signed in as the admin, with the CSMS link's event lines. */
import type { MonitoringAnswer, SessionAnswer } from '../../../../shared/dashboard/api-answers';
import type { RunningAgent } from '../../../../edge/main';

/** The dashboard's API, signed in as the admin through the one-time setup link. */
export async function signedIn(agent: RunningAgent) {
  const base = agent.dashboardUrl ?? '';
  const token = agent.dashboardSetupUrl?.split('#/setup/')[1] ?? '';
  const setup = await fetch(new URL('api/setup', base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: new URL(base).origin },
    body: JSON.stringify({ token, password: 'a long admin password' }),
  });
  const cookie = (setup.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(new URL(`api${path}`, base), { headers: { Cookie: cookie } });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return (await response.json()) as T;
  };
  const { csrfToken } = await get<SessionAnswer>('/session');
  const post = (path: string) =>
    fetch(new URL(`api${path}`, base), {
      method: 'POST',
      headers: {
        Cookie: cookie,
        'Content-Type': 'application/json',
        'X-CSRF-Token': csrfToken ?? '',
        Origin: new URL(base).origin,
      },
      body: '{}',
    });
  const upstreamEvents = async () =>
    (await get<MonitoringAnswer>('/monitoring?range=hour')).events.filter((e) => e.source === 'CSMS link');
  return { get, post, upstreamEvents };
}
