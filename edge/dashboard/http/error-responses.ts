/** How the dashboard answers a refusal: `{error, message, details}` with the status its AppError code means; never a stack trace. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type AppErrorCode, type FieldIssue } from '../../../shared/errors';
import type { MessageParams, MessageRef, ServerReason } from '../../../shared/server-messages';
import { isStorageFault } from '../../store/storage-faults';

export interface DashboardErrorBody {
  readonly error: string;
  readonly message: string;
  readonly details: readonly FieldIssue[];
  /** The message as a stable reason for the pages to translate (shared/server-messages.ts), when it has one. */
  readonly reason?: ServerReason;
  readonly params?: MessageParams;
}

/** The slice of a pino logger the dashboard's HTTP layer uses. */
export interface HttpLog {
  info(data: object, message: string): void;
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}

/** Server errors that are no fault of the agent's, so their message is the answer's. */
const SAID_AS_IS: ReadonlySet<AppErrorCode> = new Set(['charger.timeout', 'charger.rejected', 'cluster.noQuorum']);

function statusOf(code: AppErrorCode): ContentfulStatusCode {
  if (code.endsWith('.invalid') && code !== 'config.invalid') return 400;
  switch (code) {
    case 'message.tooLarge':
      return 413;
    case 'auth.unauthenticated':
      return 401;
    case 'auth.forbidden':
      return 403;
    case 'auth.tooManyAttempts':
      return 429;
    case 'resource.notFound':
      return 404;
    case 'resource.conflict':
      return 409;
    case 'charger.rejected':
      return 502;
    case 'charger.timeout':
      return 504;
    case 'storage.unavailable':
      return 507;
    case 'cluster.noQuorum':
      return 503;
    default:
      return 500;
  }
}

export const errorBody = (
  error: string,
  message: string,
  details: readonly FieldIssue[] = [],
  ref?: MessageRef,
): DashboardErrorBody => ({ error, message, details, ...ref });

/** Hono `onError` for the dashboard. */
export function dashboardErrorHandler(log: HttpLog) {
  return (error: Error, c: Context): Response => {
    if (AppError.match(error)) {
      const status = statusOf(error.code);
      // A charger that did not answer in time, or answered with an error, or etcd without its quorum, is no fault of the
      // agent's: say so precisely.
      if (status < 500 || SAID_AS_IS.has(error.code))
        return c.json(errorBody(error.code, error.message, error.details, error.ref), status);
      log.error({ err: error, code: error.code }, 'dashboard request failed');
      return c.json(errorBody(error.code, 'the agent could not do that; see its log'), status);
    }
    if (error instanceof HTTPException && error.status < 500)
      return c.json(errorBody('message.invalid', error.message || 'bad request'), error.status);
    if (isStorageFault(error)) {
      log.error({ err: error }, 'dashboard change not saved: storage refused the write');
      return c.json(
        errorBody(
          'storage.unavailable',
          "the change could not be saved: the agent's disk takes no writes (full or read-only); control carries on, see docs/storage.md",
        ),
        507,
      );
    }
    log.error({ err: error }, 'unexpected error in the dashboard');
    return c.json(errorBody('internal', 'internal error'), 500);
  };
}

export function dashboardNotFound(c: Context): Response {
  return c.json(errorBody('resource.notFound', `no route for ${c.req.method} ${c.req.path}`), 404);
}
