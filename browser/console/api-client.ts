/** Calls the fleet API with the signed-in bearer token and checks every answer with a schema. */
import type { z } from 'zod';
import { ApiError, callJson, type ApiResult } from '../ui/json-api';

export interface ApiClient {
  get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>>;
  send<S extends z.ZodType>(
    method: 'POST' | 'PUT',
    path: string,
    body: unknown,
    schema: S,
    headers?: Record<string, string>,
  ): Promise<ApiResult<z.output<S>>>;
  /** Like `get`, with the response headers (for the ETag). */
  getWithHeaders<S extends z.ZodType>(path: string, schema: S): Promise<ApiResult<z.output<S>>>;
  /** A file the API answers (a CSV export), as a Blob, with the signed-in token. */
  download(path: string): Promise<Blob>;
}

export function createApiClient(options: {
  baseUrl: string;
  token: () => string | null;
  onUnauthenticated: () => void;
}): ApiClient {
  const call = async <S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<ApiResult<z.output<S>>> => {
    const token = options.token();
    try {
      return await callJson(
        `${options.baseUrl}${path}`,
        { method, headers: { ...extra, ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body },
        schema,
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) options.onUnauthenticated();
      throw error;
    }
  };
  const download = async (path: string): Promise<Blob> => {
    const token = options.token();
    const response = await fetch(`${options.baseUrl}${path}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    }).catch(() => {
      throw new ApiError(0, 'network', 'the server cannot be reached; check your connection and try again');
    });
    if (response.status === 401) options.onUnauthenticated();
    if (!response.ok) throw new ApiError(response.status, 'unexpected', `the server answered ${response.status}`);
    return response.blob();
  };
  return {
    download,
    get: async (path, schema) => (await call('GET', path, schema)).value,
    getWithHeaders: (path, schema) => call('GET', path, schema),
    send: (method, path, body, schema, headers) => call(method, path, schema, body, headers),
  };
}
