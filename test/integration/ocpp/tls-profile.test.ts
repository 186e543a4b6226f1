import type { RPCClient } from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentralSystem, type Fixture } from './support/central-system-fixture';
import { rawChargePoint } from './support/raw-charge-point';
import { throwawayCertificate } from './support/throwaway-certificate';

const CHARGER = { id: 'CP-TLS', password: 'tls-password-000', phases: 3 as const, maxAmps: 32 };

describe('security profile 2 (TLS with Basic auth)', () => {
  const tls = throwawayCertificate();
  let fixture: Fixture;
  const clients: RPCClient[] = [];

  beforeAll(async () => {
    fixture = await startCentralSystem([CHARGER], { tls });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close({ force: true })));
    await fixture.close();
  });

  it('should serve wss to a charger that trusts the certificate', async () => {
    // Arrange
    const client = rawChargePoint({
      endpoint: fixture.cs.url,
      identity: CHARGER.id,
      password: CHARGER.password,
      wsOpts: { ca: tls.cert },
    });
    clients.push(client);

    // Act
    await client.connect();
    const boot = (await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'TLS' })) as {
      status: string;
    };

    // Assert
    expect(fixture.cs.url.startsWith('wss://127.0.0.1:')).toBe(true);
    expect(boot.status).toBe('Accepted');
  });

  it('should not let a charger in that does not trust the certificate', async () => {
    const client = rawChargePoint({ endpoint: fixture.cs.url, identity: CHARGER.id, password: CHARGER.password });

    await expect(client.connect()).rejects.toThrow(/self[- ]signed/i);
  });

  it('should still refuse a wrong password over TLS', async () => {
    const client = rawChargePoint({
      endpoint: fixture.cs.url,
      identity: CHARGER.id,
      password: 'wrong',
      wsOpts: { ca: tls.cert },
    });

    await expect(client.connect()).rejects.toMatchObject({ code: 401 });
  });
});
