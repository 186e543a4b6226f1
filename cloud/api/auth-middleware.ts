/** Bearer-token authentication with jose, and the tenant check: every route after it knows the caller's tenant. */
import type { MiddlewareHandler } from 'hono';
import { jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../../shared/errors';
import { IdSchema } from '../../shared/site/site-schema';
import type { TenantRepository } from '../ports/tenant-repository';
import type { ApiAuthConfig, ApiEnv, Caller } from './app-deps';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

const unauthenticated = (message: string, cause?: unknown) =>
  new AppError('auth.unauthenticated', message, [], cause === undefined ? undefined : { cause });

/** Verifies the token's signature, issuer, audience and expiry; the reason a token failed stays in `cause`. */
export async function verifyBearer(header: string | undefined, auth: ApiAuthConfig, now: number): Promise<JWTPayload> {
  if (header === undefined) throw unauthenticated('missing bearer token');
  const match = BEARER.exec(header);
  if (!match?.[1]) throw unauthenticated('malformed Authorization header: expected "Bearer <jwt>"');
  try {
    const { payload } = await jwtVerify(match[1], auth.key as Parameters<typeof jwtVerify>[1], {
      issuer: auth.issuer,
      algorithms: [...auth.algorithms],
      currentDate: new Date(now),
      ...(auth.audience !== undefined ? { audience: auth.audience } : {}),
    });
    return payload;
  } catch (error) {
    throw unauthenticated('invalid or expired token', error);
  }
}

export function authMiddleware(
  auth: ApiAuthConfig,
  tenants: TenantRepository,
  clock: () => number,
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const payload = await verifyBearer(c.req.header('Authorization'), auth, clock());
    const tenant = IdSchema.safeParse(payload[auth.tenantClaim]);
    if (!tenant.success) throw new AppError('auth.forbidden', `the token carries no valid "${auth.tenantClaim}" claim`);
    const record = await tenants.get(tenant.data);
    if (record?.status !== 'active') throw new AppError('auth.forbidden', 'the tenant is unknown or disabled');
    const caller: Caller = {
      tenantId: tenant.data,
      ...(typeof payload.sub === 'string' ? { subject: payload.sub } : {}),
    };
    c.set('caller', caller);
    await next();
  };
}
