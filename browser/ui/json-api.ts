/** Calls a JSON API from the browser and checks every answer with a schema; refusals become an ApiError with the body's `{error, message, details}`. */
import { z } from 'zod';
import type { FieldIssue } from '../../shared/errors';
import { MessageRefFields } from '../../shared/server-messages';
import { t } from './i18n/i18n';
import { refusalText, type ServerSaid } from './i18n/server-text';

/** The error body every Ampshare HTTP API answers with. */
export const ErrorBodySchema = z.looseObject({
  error: z.string(),
  message: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string(), ...MessageRefFields })).default([]),
  ...MessageRefFields,
});

/** A refused call: the HTTP status, the API's error code and, for a 400, every bad field. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly FieldIssue[] = [],
    /** The message as a reason the page translates (see ./i18n/server-text.ts). */
    readonly said: Omit<ServerSaid, 'message'> = {},
  ) {
    super(message);
  }
}

export interface ApiResult<T> {
  readonly value: T;
  readonly headers: Headers;
}

/** Sends one request with a JSON body (if any) and returns the answer checked by `schema`; throws ApiError otherwise. */
export async function callJson<S extends z.ZodType>(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown; credentials?: RequestCredentials },
  schema: S,
): Promise<ApiResult<z.output<S>>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers,
      ...(init.credentials && { credentials: init.credentials }),
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', t('common.errors.network'));
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = ErrorBodySchema.safeParse(json);
    if (!error.success)
      throw new ApiError(response.status, 'unexpected', t('common.errors.status', { status: String(response.status) }));
    const { reason, params } = error.data;
    throw new ApiError(response.status, error.data.error, error.data.message, error.data.details, { reason, params });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new ApiError(response.status, 'unexpected', t('common.errors.unexpected', { method: init.method, url }));
  return { value: parsed.data, headers: response.headers };
}

/** A readable line for any failure, for a live region. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError)
    return error.status === 0
      ? error.message
      : t('common.errors.withStatus', { message: apiErrorText(error), status: String(error.status) });
  return t('common.errors.unknown');
}

/** A refusal's message in the page's language. */
export const apiErrorText = (error: ApiError): string =>
  refusalText({ ...error.said, code: error.code, message: error.message });
