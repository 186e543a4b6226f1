/** Calls the dashboard API with the session cookie and, on writes, the session's CSRF token; a 401 sends the user to sign in. */
import type { z } from 'zod';
import { ApiError, callJson } from '../ui/json-api';

export interface DashboardClient {
  get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>>;
  send<S extends z.ZodType>(method: 'POST' | 'PUT', path: string, body: unknown, schema: S): Promise<z.output<S>>;
  /** The CSRF token of the signed-in session (from `/api/session`). */
  setCsrfToken(token: string | null): void;
}

export function createDashboardClient(onUnauthenticated: () => void): DashboardClient {
  let csrf: string | null = null;
  const call = async <S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> => {
    try {
      const headers: Record<string, string> = method === 'GET' || csrf === null ? {} : { 'X-CSRF-Token': csrf };
      return (await callJson(`/api${path}`, { method, headers, body, credentials: 'same-origin' }, schema)).value;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && !path.startsWith('/login')) onUnauthenticated();
      throw error;
    }
  };
  return {
    get: (path, schema) => call('GET', path, schema),
    send: (method, path, body, schema) => call(method, path, schema, body),
    setCsrfToken: (token) => {
      csrf = token;
    },
  };
}
