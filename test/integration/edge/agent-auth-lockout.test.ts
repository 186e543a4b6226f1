import { afterEach, describe, expect, it } from 'vitest';
import { wrongPassword } from '../../support/ocpp-handshake';
import { startEdge, type EdgeFixture } from './support/edge-fixture';

describe('edge agent: sign-in lockouts reach the dashboard', () => {
  let edge: EdgeFixture;
  afterEach(async () => edge.close());

  it("should list a charger identity's lockout in the dashboard's events", async () => {
    // Arrange: sign in to the agent's own dashboard with its setup link
    edge = await startEdge({ chargers: 1 });
    const setup = new URL(edge.agent.dashboardSetupUrl!);
    const origin = setup.origin;
    const token = setup.hash.replace('#/setup/', '');
    const signedIn = await fetch(`${origin}/api/setup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify({ token, password: 'a long admin password' }),
    });
    const cookie = (signedIn.headers.get('Set-Cookie') ?? '').split(';')[0]!;

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await wrongPassword(edge.agent.ocppUrl, 'CP-1'));
    const monitoring = (await (
      await fetch(`${origin}/api/monitoring?range=hour`, { headers: { Cookie: cookie } })
    ).json()) as { events: { source: string; message: string }[] };

    // Assert (the refusals during the lockout are shown in virtual time in test/integration/ocpp/auth-lockout.test.ts)
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(monitoring.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          source: 'charger sign-in (OCPP)',
          message: 'charger "CP-1" locked out for 1 s after 5 failed attempts',
        }),
        expect.objectContaining({
          source: 'charger sign-in (OCPP)',
          message: 'address 127.0.0.1 locked out for 1 s after 5 failed attempts',
        }),
      ]),
    );
  });
});
