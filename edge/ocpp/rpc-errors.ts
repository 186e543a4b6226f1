/** The one place where our errors become OCPP CALLERRORs. */
import ocppRpc, { createRPCError } from 'ocpp-rpc';
import { AppError, type AppErrorCode } from '../../shared/errors';

/** OCPP 1.6 CALLERROR codes (ocpp-rpc spells FormationViolation the 1.6-errata way). */
export type OcppErrorCode =
  | 'NotImplemented'
  | 'NotSupported'
  | 'InternalError'
  | 'ProtocolError'
  | 'SecurityError'
  | 'FormationViolation'
  | 'PropertyConstraintViolation'
  | 'OccurrenceConstraintViolation'
  | 'TypeConstraintViolation'
  | 'GenericError';

const CODES: Record<AppErrorCode, OcppErrorCode> = {
  'message.invalid': 'PropertyConstraintViolation',
  'message.tooLarge': 'FormationViolation',
  'auth.unauthenticated': 'SecurityError',
  'auth.forbidden': 'SecurityError',
  'auth.tooManyAttempts': 'SecurityError',
  'resource.notFound': 'GenericError',
  'resource.conflict': 'GenericError',
  'config.invalid': 'InternalError',
  'policy.invalid': 'InternalError',
  'policy.tooLarge': 'InternalError',
  'site.invalid': 'InternalError',
  'state.invalid': 'InternalError',
  'charger.rejected': 'GenericError',
  'charger.timeout': 'GenericError',
  'meter.unavailable': 'InternalError',
  // A transaction message answered InternalError is retried by the charger (OCPP 1.6: TransactionMessageAttempts).
  'storage.unavailable': 'InternalError',
  'cluster.noQuorum': 'InternalError',
  internal: 'InternalError',
};

/**
 * Turns anything a handler threw into an ocpp-rpc error; only AppError messages reach the charger, never a stack or
 * driver text. A CALLERROR the operator's CSMS answered (edge/upstream) is passed on as it came.
 */
export function toRpcError(error: unknown): Error {
  if (error instanceof ocppRpc.RPCError) return error;
  if (error instanceof AppError) {
    return createRPCError(
      CODES[error.code],
      error.message,
      error.details.length > 0 ? { issues: error.details } : {},
    ) as Error;
  }
  return createRPCError('InternalError', 'internal error', {}) as Error;
}
