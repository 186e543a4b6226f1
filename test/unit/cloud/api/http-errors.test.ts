import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { AppError, type AppErrorCode } from '../../../../shared/errors';
import { errorHandler, STATUS_OF } from '../../../../cloud/api/http-errors';

function appThrowing(error: unknown) {
  const logged: string[] = [];
  const app = new Hono();
  app.onError(errorHandler({ error: (_d, message) => logged.push(message), warn: () => undefined }));
  app.get('/', () => {
    throw error;
  });
  return { app, logged };
}

describe('errorHandler', () => {
  it.each(Object.entries(STATUS_OF) as Array<[AppErrorCode, number]>)(
    'should answer %s with %i',
    async (code, status) => {
      const { app } = appThrowing(new AppError(code, 'secret detail?', [{ path: 'a', message: 'b' }]));
      const response = await app.request('/');
      expect(response.status).toBe(status);
      const body = (await response.json()) as { error: string; message: string; details: unknown[] };
      expect(body.error).toBe(code);
      if (status >= 500)
        expect(body).toEqual({ error: code, message: expect.not.stringContaining('secret') as unknown, details: [] });
      else expect(body.details).toEqual([{ path: 'a', message: 'b' }]);
    },
  );

  it('should answer an unexpected error with a bare 500, logging it but not leaking its message or stack', async () => {
    const driverError = Object.assign(new Error('ValidationException: table ampshare-prod at arn:aws:...'), {
      name: 'ValidationException',
    });
    const { app, logged } = appThrowing(driverError);
    const response = await app.request('/');
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: 'internal', message: 'internal error', details: [] });
    expect(text).not.toContain('arn:aws');
    expect(text).not.toContain('at ');
    expect(logged).toEqual(['unhandled error in the API']);
  });
});
