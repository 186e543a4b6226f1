import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { buildAgent } from '../../../scripts/build-agent';

/** The packages a bundle file loads when it is loaded, through its static imports and theirs (not dynamic ones). */
function packagesLoadedWith(metafile: Metafile, file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  for (const imported of metafile.outputs[file]?.imports ?? []) {
    if (imported.kind !== 'import-statement') continue;
    if (imported.external) packages.add(imported.path);
    else for (const p of packagesLoadedWith(metafile, imported.path, seen)) packages.add(p);
  }
  return packages;
}

describe('npm run build: the edge agent', () => {
  it('should load the cluster etcd client (gRPC, protobuf) only with a cluster, as the cloud link only with sync', async () => {
    // Arrange, Act: the bundle as it would be written
    const { metafile } = await buildAgent({ write: false });
    const entry = Object.keys(metafile.outputs).find((file) => file.endsWith('/start.mjs'))!;
    const dynamic = metafile.outputs[entry]!.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path);

    // Assert: etcd3 is not among what the agent loads at start, and a chunk loaded for a cluster has it
    expect([...packagesLoadedWith(metafile, entry)]).not.toContain('etcd3');
    expect(dynamic.some((chunk) => packagesLoadedWith(metafile, chunk).has('etcd3'))).toBe(true);
  });
});
