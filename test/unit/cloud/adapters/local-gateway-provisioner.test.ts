import { describe, expect, it } from 'vitest';
import { createLocalGatewayProvisioner } from '../../../../cloud/adapters/local-gateway-provisioner';

describe('local gateway provisioner', () => {
  it('should issue broker credentials that authenticate until revoked', async () => {
    const provisioner = createLocalGatewayProvisioner({ brokerUrl: 'mqtt://127.0.0.1:1883' });
    const credentials = await provisioner.register({ tenantId: 't', siteId: 's', thingName: 'amp-s-1' });
    expect(credentials).toMatchObject({
      kind: 'password',
      credentialId: 'amp-s-1',
      username: 'amp-s-1',
      endpoint: 'mqtt://127.0.0.1:1883',
    });
    expect(credentials.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(provisioner.authenticate('amp-s-1', credentials.password!)).toBe(true);
    expect(provisioner.authenticate('amp-s-1', 'wrong')).toBe(false);
    expect(provisioner.authenticate('other', credentials.password!)).toBe(false);

    await provisioner.revoke({ thingName: 'amp-s-1', credentialId: credentials.credentialId });
    expect(provisioner.authenticate('amp-s-1', credentials.password!)).toBe(false);
  });
});
