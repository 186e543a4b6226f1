/**
 * The dev login (a token for any tenant, no credentials) exists only in the local stack: only cloud/local/ wires it,
 * nothing a Lambda handler or the CDK app loads reaches it, and the console app that any deployment could serve has no
 * such route whatever it is given.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveConsole } from '../../../../cloud/console/serve-console';
import { localConsole } from '../../../../cloud/local/local-console';

const ROOT = resolve(__dirname, '../../../..');
const SOURCE_FOLDERS = ['shared', 'cloud', 'edge', 'infra', 'sim'];
const distDir = mkdtempSync(join(tmpdir(), 'ampshare-console-scope-'));
afterAll(() => rmSync(distDir, { recursive: true, force: true }));

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** The project modules a file imports (relative specifiers only), as paths from the root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => `${relative(ROOT, resolve(ROOT, dirname(file), specifier))}.ts`);
}

function reachableFrom(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    try {
      queue.push(...importsOf(file));
    } catch {
      // A specifier that is a folder or a non-TypeScript file: nothing of ours to follow.
    }
  }
  return seen;
}

const isDevLogin = (file: string) => file.endsWith('/dev-login-routes.ts');

describe('dev login scope', () => {
  const files = SOURCE_FOLDERS.flatMap(sourceFiles);

  it('should live in the local stack and be imported only by it', () => {
    const devLogin = files.filter(isDevLogin);
    expect(devLogin).toEqual(['cloud/local/dev-login-routes.ts']);
    const importers = files.filter((file) => importsOf(file).some(isDevLogin));
    expect(importers.length).toBeGreaterThan(0);
    for (const importer of importers) expect(importer).toMatch(/^cloud\/local\//);
  });

  it('should not be reachable from any Lambda handler or the CDK app', () => {
    const entries = [...files.filter((file) => /^cloud\/handlers\/[^/]+\.ts$/.test(file)), 'infra/app.ts'];
    const reachable = reachableFrom(entries);
    expect(reachable.size).toBeGreaterThan(entries.length);
    expect([...reachable].filter(isDevLogin)).toEqual([]);
    expect([...reachable].filter((file) => file.startsWith('cloud/local/'))).toEqual([]);
  });

  it('should not be served by the console app, whatever it is configured with', async () => {
    for (const devLogin of [undefined, false, true]) {
      const app = serveConsole({ distDir, apiBaseUrl: '', ...(devLogin !== undefined ? { devLogin } : {}) });
      const response = await app.request('/dev-login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ tenantId: 'acme' }),
      });
      expect(response.status).toBe(404);
    }
  });

  it("should be served by the local stack's console, with the page told so", async () => {
    const app = localConsole({ distDir, issueDevToken: (tenantId) => Promise.resolve(`token-for-${tenantId}`) });
    const response = await app.request('/dev-login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tenantId: 'acme' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ token: 'token-for-acme' });
    expect(await (await app.request('/config.json')).json()).toMatchObject({ devLogin: true });
  });
});
