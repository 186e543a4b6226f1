/**
 * The fleet console as a Hono sub-app: the bundle `npm run build` wrote (scripts/build-browser.ts) and `config.json`. Mount it under a prefix:
 * `root.route('/console', serveConsole({ ... }))`, before the API's routes. It never serves a dev login: the local
 * stack adds that route itself (cloud/local/local-console.ts).
 */
import { access, readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { ConsoleConfigSchema, type ConsoleConfig } from '../../shared/console/console-config';

/** Where `npm run build` writes the console. */
export const CONSOLE_BUNDLE_DIR = fileURLToPath(new URL('../../dist/browser/console/', import.meta.url));

export interface ServeConsoleOptions {
  /** A directory written by `npm run build` (`CONSOLE_BUNDLE_DIR`). */
  readonly distDir: string;
  /** Where the page calls the API (`''` when the API answers on the same origin, at its root). */
  readonly apiBaseUrl: string;
  /** Tells the page that whoever serves it also answers `POST dev-login` (the local stack only). */
  readonly devLogin?: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export function serveConsole(options: ServeConsoleOptions) {
  const config: ConsoleConfig = ConsoleConfigSchema.parse({
    apiBaseUrl: options.apiBaseUrl,
    devLogin: options.devLogin ?? false,
  });
  const app = new Hono();
  app.get('/config.json', (c) => c.json(config, 200, { 'Cache-Control': 'no-store' }));
  app.get('/*', (c) => {
    // The part after the mount point: '' (redirected, or relative URLs would resolve against the parent), '/' or '/app.js'.
    const rest = c.req.path.slice(c.req.routePath.length - '/*'.length);
    if (rest === '') return c.redirect(`${c.req.path}/`, 308);
    return serveFile(options.distDir, rest === '/' ? 'index.html' : rest.slice(1));
  });
  return app;
}

async function serveFile(distDir: string, file: string): Promise<Response> {
  const type = TYPES[extname(file)];
  // Only the flat files the build writes: no sub-paths, no dot-dot.
  if (type === undefined || normalize(file) !== file || file.includes('/') || file.startsWith('.')) return notFound();
  try {
    const body = await readFile(join(distDir, file));
    return new Response(body, {
      headers: {
        'Content-Type': type,
        'Cache-Control': file === 'index.html' ? 'no-cache' : 'public, max-age=300',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return (await isBuilt(distDir)) ? notFound() : notBuilt();
  }
}

const isBuilt = (distDir: string) =>
  access(join(distDir, 'index.html')).then(
    () => true,
    () => false,
  );

function notBuilt(): Response {
  const message = 'the fleet console is not built: run `npm run build` (`npm run cloud:local` does it), then reload';
  return Response.json(
    { error: 'console.notBuilt', message, details: [] },
    { status: 503, headers: { 'Cache-Control': 'no-store' } },
  );
}

function notFound(): Response {
  return Response.json({ error: 'resource.notFound', message: 'no such console file', details: [] }, { status: 404 });
}
