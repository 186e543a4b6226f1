/** Calls the fleet API with the signed-in bearer token and checks every answer with a schema. */
import type { z } from 'zod';
import type { FieldIssue } from '../../../shared/errors';
import { ErrorBodySchema } from './api-schemas';

/** A refused call: the HTTP status, the API's error code and, for a 400, every bad field. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

export interface ApiResult<T> {
  readonly value: T;
  readonly headers: Headers;
}

export interface ApiClient {
  get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>>;
  send<S extends z.ZodType>(method: 'POST' | 'PUT', path: string, body: unknown, schema: S, headers?: Record<string, string>): Promise<ApiResult<z.output<S>>>;
  /** Like `get`, with the response headers (for the ETag). */
  getWithHeaders<S extends z.ZodType>(path: string, schema: S): Promise<ApiResult<z.output<S>>>;
}

export function createApiClient(options: { baseUrl: string; token: () => string | null; onUnauthenticated: () => void }): ApiClient {
  const call = async <S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, extra: Record<string, string> = {}): Promise<ApiResult<z.output<S>>> => {
    const token = options.token();
    const headers: Record<string, string> = { Accept: 'application/json', ...extra, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${options.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new ApiError(0, 'network', 'the API cannot be reached; check your connection and try again');
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      if (response.status === 401) options.onUnauthenticated();
      const error = ErrorBodySchema.safeParse(json);
      if (!error.success) throw new ApiError(response.status, 'unexpected', `the API answered ${response.status}`);
      throw new ApiError(response.status, error.data.error, error.data.message, error.data.details);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiError(response.status, 'unexpected', `unexpected answer from ${method} ${path}`);
    return { value: parsed.data, headers: response.headers };
  };
  return {
    get: async (path, schema) => (await call('GET', path, schema)).value,
    getWithHeaders: (path, schema) => call('GET', path, schema),
    send: (method, path, body, schema, headers) => call(method, path, schema, body, headers),
  };
}

/** A readable line for any failure, for the live region. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.status === 0 ? error.message : `${error.message} (${error.status})`;
  return 'something went wrong; try again';
}
