/**
 * The fences around browser code (docs/architecture.md, "Dependency direction"): browser/ imports browser/, shared/
 * and zod only; runtime code never imports browser/, the build tooling in scripts/ or esbuild (the agent and the
 * servers serve what `npm run build` wrote); shared/ imports nothing of ours outside shared/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every import of a file: project paths (from the root) for relative specifiers, package names for the rest. */
function importsOf(file: string): { readonly project: string[]; readonly packages: string[] } {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]!);
  return {
    project: specifiers.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s))),
    packages: specifiers.filter((s) => !s.startsWith('.')),
  };
}

const RUNTIME_FOLDERS = ['shared', 'edge', 'cloud', 'sim', 'infra'];

describe('layering: browser code', () => {
  it('should import only browser/, shared/ and zod from browser/', () => {
    const files = sourceFiles('browser');
    expect(files.length).toBeGreaterThan(20);
    const outside = files.flatMap((file) => {
      const { project, packages } = importsOf(file);
      return [...project.filter((p) => !/^(browser|shared)\//.test(p)), ...packages.filter((p) => p !== 'zod')].map((p) => `${file} -> ${p}`);
    });
    expect(outside).toEqual([]);
  });

  it('should not be imported by runtime code, nor should scripts/ or esbuild', () => {
    const offending = RUNTIME_FOLDERS.flatMap(sourceFiles).flatMap((file) => {
      const { project, packages } = importsOf(file);
      return [...project.filter((p) => /^(browser|scripts)\//.test(p)), ...packages.filter((p) => p === 'esbuild' || p.startsWith('esbuild/'))].map((p) => `${file} -> ${p}`);
    });
    expect(offending).toEqual([]);
  });

  it('should keep shared/ free of imports of ours from outside it', () => {
    const offending = sourceFiles('shared').flatMap((file) => importsOf(file).project.filter((p) => !p.startsWith('shared/')).map((p) => `${file} -> ${p}`));
    expect(offending).toEqual([]);
  });
});
