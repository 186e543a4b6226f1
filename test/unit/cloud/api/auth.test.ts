import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { verifyBearer } from '../../../../cloud/api/auth-middleware';
import { createTokenIssuer } from '../../../../cloud/local/token-issuer';

const NOW = Date.UTC(2025, 5, 1);

describe('verifyBearer with the local token issuer', () => {
  it('should accept a token it signed and carry the tenant claim', async () => {
    const issuer = await createTokenIssuer({ now: () => NOW });
    const auth = {
      key: issuer.publicKey,
      issuer: issuer.issuer,
      audience: issuer.audience,
      tenantClaim: 'tenant',
      algorithms: ['ES256'],
    };
    const payload = await verifyBearer(`Bearer ${await issuer.issue({ tenantId: 'acme' })}`, auth, NOW);
    expect(payload).toMatchObject({ tenant: 'acme', sub: 'local-user@acme', iss: issuer.issuer, aud: issuer.audience });
    expect((await issuer.jwks()).keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
  });

  it.each([
    ['a wrong audience', { audience: 'someone-else' }, NOW],
    ['a wrong issuer', { issuer: 'urn:other' }, NOW],
    ['a disallowed algorithm', { algorithms: ['RS256'] }, NOW],
    ['an expired token', {}, NOW + 13 * 3600 * 1000],
  ])('should refuse %s as unauthenticated', async (_name, override, now) => {
    const issuer = await createTokenIssuer({ now: () => NOW });
    const auth = {
      key: issuer.publicKey,
      issuer: issuer.issuer,
      audience: issuer.audience,
      tenantClaim: 'tenant',
      algorithms: ['ES256'],
      ...override,
    };
    await expect(verifyBearer(`Bearer ${await issuer.issue({ tenantId: 'acme' })}`, auth, now)).rejects.toSatisfy((e) =>
      AppError.match(e, 'auth.unauthenticated'),
    );
  });
});
