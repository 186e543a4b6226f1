/** Reads a request's JSON body or query with a zod schema; bad input becomes a 400 listing every bad field by path. */
import type { Context } from 'hono';
import { z } from 'zod';
import { AppError, type AppErrorCode } from '../../../shared/errors';
import { parseOrThrow } from '../../../shared/validation';

/** The body as `schema` says; not JSON, or not `application/json` (which a cross-site form cannot send), is refused too. */
export async function jsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  what: string,
  code: AppErrorCode = 'message.invalid',
): Promise<z.output<S>> {
  if (!(c.req.header('Content-Type') ?? '').toLowerCase().startsWith('application/json')) {
    throw new AppError('message.invalid', 'send the body as application/json', [
      { path: '(root)', message: 'expected Content-Type application/json' },
    ]);
  }
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new AppError('message.invalid', 'the body is not valid JSON', [
      { path: '(root)', message: 'not valid JSON' },
    ]);
  }
  return parseOrThrow(schema, json, code, what);
}

/** The query string as `schema` says. */
export function queryInput<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseOrThrow(schema, c.req.query(), 'message.invalid', 'query');
}

/** A path parameter as `schema` says. */
export function pathParam<S extends z.ZodType>(c: Context, name: string, schema: S): z.output<S> {
  const parsed = parseOrThrow(
    z.object({ [name]: schema }),
    { [name]: c.req.param(name) },
    'message.invalid',
    `path parameter ${name}`,
  );
  return parsed[name] as z.output<S>;
}
