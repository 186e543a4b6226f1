/** An esbuild plugin for our bundles (browser apps, the agent) that drops zod's locales. */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/**
 * esbuild keeps every zod locale (about 370 KB) for `import { z } from 'zod'`, but shakes them out of
 * `import * as z from 'zod'`; our sources (shared/ included) are read with the second form. Same module, same API.
 */
export const zodNamespaceImport: Plugin = {
  name: 'zod-namespace-import',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(/^import \{ z \} from 'zod';$/m, "import * as z from 'zod';"), loader: 'ts' };
    });
  },
};
