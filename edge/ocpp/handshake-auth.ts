/**
 * Who may open an OCPP connection: the endpoint path, the identity and, with security profile 1, the Basic auth password,
 * each check of which goes through the sign-in throttle (back-off and lockout per identity and per source address).
 */
import { IdSchema } from '../../shared/site/site-schema';
import type { AuthThrottle } from '../security/auth-throttle';
import type { ChargerCredentials, ChargerDirectory } from './central-system-ports';
import type { RegistrationStatus } from './ocpp-values';

export const OCPP_ENDPOINT = '/ocpp';

export interface HandshakePolicy {
  /** Security profile 1 (and 2 on top of TLS): every charger must present its password. */
  readonly basicAuth: boolean;
  /** Boot answer for chargers the site does not list; `Rejected` refuses them at the handshake already. */
  readonly unknownChargers: RegistrationStatus;
}

/**
 * `held`: an identity the site does not list, taken only to be answered Pending (nothing configured, no transaction
 * accepted) so that it can be adopted on the dashboard; its password could not be checked, as none is stored for it.
 */
export type HandshakeDecision =
  | { readonly ok: true; readonly held: boolean }
  | { readonly ok: false; readonly httpStatus: 400 | 401 | 404 | 429; readonly reason: string };

export interface HandshakeRequest {
  readonly endpoint: string;
  readonly identity: string;
  readonly password: Buffer | undefined;
  readonly remoteAddress: string | undefined;
}

/**
 * Decides on one WebSocket upgrade; a wrong or missing password never gets a listed charger in. An identity the site does
 * not list gets in only to be held Pending, and only with `unknownChargers: 'Pending'` (docs/security.md, "Chargers
 * that dial in").
 */
export async function decideHandshake(
  request: HandshakeRequest,
  policy: HandshakePolicy,
  ports: { credentials: ChargerCredentials; directory: ChargerDirectory; throttle: AuthThrottle },
): Promise<HandshakeDecision> {
  if (request.endpoint !== OCPP_ENDPOINT) return { ok: false, httpStatus: 404, reason: 'unknown endpoint' };
  if (!IdSchema.safeParse(request.identity).success)
    return { ok: false, httpStatus: 400, reason: 'invalid charge point identity' };
  if (policy.basicAuth) {
    // The upgrade's precheck answered a lockout with Retry-After; this catches an attempt that raced past it.
    const attempt = ports.throttle.begin({ identity: request.identity, address: request.remoteAddress });
    if (!attempt.allowed) return { ok: false, httpStatus: 429, reason: 'too many failed attempts' };
    const check = await ports.credentials.verify(request.identity, request.password).catch((error: unknown) => {
      attempt.failed();
      throw error;
    });
    const unknown = ports.directory.find(request.identity) === undefined;
    if (check === 'unknown' && unknown && policy.unknownChargers === 'Pending') {
      // Neither a success (which would clear the address's failures) nor a failure (the charger did nothing wrong).
      attempt.abandoned();
      return { ok: true, held: true };
    }
    if (check !== 'valid') {
      attempt.failed();
      return { ok: false, httpStatus: 401, reason: 'unauthorized' };
    }
    attempt.succeeded();
  }
  if (ports.directory.find(request.identity) !== undefined) return { ok: true, held: false };
  if (policy.unknownChargers === 'Rejected') return { ok: false, httpStatus: 404, reason: 'unknown charger' };
  return { ok: true, held: policy.unknownChargers === 'Pending' };
}
