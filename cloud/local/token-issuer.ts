/** Local stand-in for Cognito: an ES256 key pair generated at start-up that signs bearer tokens carrying a tenant. */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface TokenIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** The key the API verifies with (pass as `auth.key`). */
  readonly publicKey: CryptoKey;
  /** The same key as a JWKS, for tools that want one. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** A signed token for `tenantId` (claim `tenant`) valid for `ttlSeconds` (default 12 h). */
  issue(claims: {
    tenantId: string;
    subject?: string;
    ttlSeconds?: number;
    extra?: Record<string, unknown>;
  }): Promise<string>;
}

export const LOCAL_ISSUER = 'urn:ampshare:local';
export const LOCAL_AUDIENCE = 'ampshare-api';
export const TENANT_CLAIM = 'tenant';

export async function createTokenIssuer(
  options: { issuer?: string; audience?: string; now?: () => number } = {},
): Promise<TokenIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const issuer = options.issuer ?? LOCAL_ISSUER;
  const audience = options.audience ?? LOCAL_AUDIENCE;
  const kid = 'local-1';
  const nowSeconds = () => Math.floor((options.now ?? Date.now)() / 1000);
  return {
    issuer,
    audience,
    publicKey,
    jwks: async () => ({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] }),
    issue: ({ tenantId, subject, ttlSeconds, extra }) => {
      const iat = nowSeconds();
      return new SignJWT({ ...extra, [TENANT_CLAIM]: tenantId })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(subject ?? `local-user@${tenantId}`)
        .setIssuedAt(iat)
        .setExpirationTime(iat + (ttlSeconds ?? 12 * 3600))
        .sign(privateKey);
    },
  };
}
