/** The one place where AppError codes become HTTP statuses and JSON error bodies. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type AppErrorCode, type FieldIssue } from '../../shared/errors';
import type { MessageParams, ServerReason } from '../../shared/server-messages';
import type { ApiLogger } from './app-deps';

export const STATUS_OF: Readonly<Record<AppErrorCode, ContentfulStatusCode>> = {
  'config.invalid': 500,
  'policy.invalid': 400,
  'policy.tooLarge': 413,
  'site.invalid': 400,
  'state.invalid': 400,
  'message.invalid': 400,
  'message.tooLarge': 413,
  'auth.unauthenticated': 401,
  'auth.forbidden': 403,
  'auth.tooManyAttempts': 429,
  'resource.notFound': 404,
  'resource.conflict': 409,
  'charger.rejected': 502,
  'charger.timeout': 504,
  'meter.unavailable': 503,
  'storage.unavailable': 507,
  'cluster.noQuorum': 503,
  internal: 500,
};

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly details: readonly FieldIssue[];
  /** The message as a stable reason for the pages to translate (shared/server-messages.ts), when it has one. */
  readonly reason?: ServerReason;
  readonly params?: MessageParams;
}

/** Hono `onError`: AppErrors keep their message and details; anything else is logged and answered without internals. */
export function errorHandler(logger: ApiLogger) {
  return (error: Error, c: Context): Response => {
    if (AppError.match(error)) {
      const status = STATUS_OF[error.code];
      if (status >= 500) {
        logger.error({ code: error.code, cause: error.cause, err: error }, error.message);
        return c.json<ErrorBody>({ error: error.code, message: publicMessage(status), details: [] }, status);
      }
      if (status === 401) c.header('WWW-Authenticate', 'Bearer');
      return c.json<ErrorBody>(
        { error: error.code, message: error.message, details: error.details, ...error.ref },
        status,
      );
    }
    if (error instanceof HTTPException && error.status < 500) {
      return c.json<ErrorBody>(
        { error: 'message.invalid', message: error.message || 'bad request', details: [] },
        error.status,
      );
    }
    logger.error({ err: error }, 'unhandled error in the API');
    return c.json<ErrorBody>({ error: 'internal', message: publicMessage(500), details: [] }, 500);
  };
}

function publicMessage(status: number): string {
  return status === 503 ? 'service unavailable, try again later' : 'internal error';
}

export function notFoundHandler(c: Context): Response {
  return c.json<ErrorBody>(
    { error: 'resource.notFound', message: `no route for ${c.req.method} ${c.req.path}`, details: [] },
    404,
  );
}
