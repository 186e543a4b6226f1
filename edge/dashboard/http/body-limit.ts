/**
 * Refuses a request body over a limit while it is read, not after: a client that sends hundreds of megabytes (with or
 * without a Content-Length) gets 413 with the limit once the limit is passed, and the agent never holds more.
 */
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../../shared/errors';

/** The dashboard's largest request (a policy, a sign-in, a charger action) is a few kilobytes. */
export const DASHBOARD_MAX_BODY_BYTES = 1024 * 1024;

/** Middleware: bodies over `maxBytes` are answered 413 (`message.tooLarge`) with the limit. */
export function limitBody(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('message.tooLarge', `the request body is larger than ${maxBytes} bytes`, [
        { path: '(root)', message: `at most ${maxBytes} bytes` },
      ]);
    },
  });
}
