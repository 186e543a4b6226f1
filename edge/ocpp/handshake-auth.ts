/** Who may open an OCPP connection: the endpoint path, the identity and, with security profile 1, the Basic auth password. */
import { IdSchema } from '../../shared/site/site-schema';
import type { ChargerCredentials, ChargerDirectory } from './central-system-ports';
import type { RegistrationStatus } from './ocpp-values';

export const OCPP_ENDPOINT = '/ocpp';

export interface HandshakePolicy {
  /** Security profile 1 (and 2 on top of TLS): every charger must present its password. */
  readonly basicAuth: boolean;
  /** Boot answer for chargers the site does not list; `Rejected` refuses them at the handshake already. */
  readonly unknownChargers: RegistrationStatus;
}

export type HandshakeDecision = { readonly ok: true } | { readonly ok: false; readonly httpStatus: 400 | 401 | 404; readonly reason: string };

export interface HandshakeRequest {
  readonly endpoint: string;
  readonly identity: string;
  readonly password: Buffer | undefined;
}

/** Decides on one WebSocket upgrade; a wrong or missing password never gets in. */
export async function decideHandshake(
  request: HandshakeRequest,
  policy: HandshakePolicy,
  ports: { credentials: ChargerCredentials; directory: ChargerDirectory },
): Promise<HandshakeDecision> {
  if (request.endpoint !== OCPP_ENDPOINT) return { ok: false, httpStatus: 404, reason: 'unknown endpoint' };
  if (!IdSchema.safeParse(request.identity).success) return { ok: false, httpStatus: 400, reason: 'invalid charge point identity' };
  if (policy.basicAuth && (await ports.credentials.verify(request.identity, request.password)) !== 'valid') {
    return { ok: false, httpStatus: 401, reason: 'unauthorized' };
  }
  if (policy.unknownChargers === 'Rejected' && ports.directory.find(request.identity) === undefined) {
    return { ok: false, httpStatus: 404, reason: 'unknown charger' };
  }
  return { ok: true };
}
