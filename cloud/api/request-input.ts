/** Reads and validates request bodies, params, queries and headers; bad input becomes a 400 naming every bad field. */
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { AppError, type AppErrorCode } from '../../shared/errors';
import { fieldIssues, parseOrThrow } from '../../shared/validation';

/** The JSON body, or `message.invalid` when it is missing or not JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError(
      'message.invalid',
      'the request body is not valid JSON',
      [{ path: '(root)', message: 'expected a JSON body' }],
      { cause: error },
    );
  }
}

/** Parses `input` with `schema`; issues get `prefix` (e.g. `query.`) so the caller knows where the bad field was. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  code: AppErrorCode = 'message.invalid',
  prefix = '',
): z.output<S> {
  if (prefix === '') return parseOrThrow(schema, input, code, what);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error).map((issue) => ({
    ...issue,
    path: issue.path === '(root)' ? prefix.slice(0, -1) : `${prefix}${issue.path}`,
  }));
  throw new AppError(code, `invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues, {
    cause: result.error,
  });
}

export const parseQuery = <S extends z.ZodType>(c: Context, schema: S): z.output<S> =>
  parseInput(schema, c.req.query(), 'query', 'message.invalid', 'query.');
export const parseParams = <S extends z.ZodType>(c: Context, schema: S): z.output<S> =>
  parseInput(schema, c.req.param(), 'path', 'message.invalid', 'params.');

/** Refuses a request body larger than `maxBytes` with `message.tooLarge` (413), before it is read. */
export const limitBody = (maxBytes: number) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('message.tooLarge', `the request body is larger than ${maxBytes} bytes`, [
        { path: '(root)', message: `at most ${maxBytes} bytes` },
      ]);
    },
  });
