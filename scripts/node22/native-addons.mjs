/**
 * The Node 22 lane's one difference from the Node 20 install: better-sqlite3's addon is built for Node 20 (its ABI) in
 * node_modules, and for Node 22 in the lane's cache. Loaded with `--import` (NODE_OPTIONS, so every test worker and
 * every agent a test starts gets it), this sends each require of a `better-sqlite3/build/Release/better_sqlite3.node`
 * (the repository's, or a release's copy) to the build named by AMPSHARE_NODE22_SQLITE_ADDON.
 */
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

const addon = process.env.AMPSHARE_NODE22_SQLITE_ADDON;
if (!addon) throw new Error('AMPSHARE_NODE22_SQLITE_ADDON names no addon (scripts/node22-lane.sh sets it)');
const target = pathToFileURL(addon).href;
const ADDON_PATH = /[\\/]better-sqlite3[\\/]build[\\/]Release[\\/]better_sqlite3\.node$/;

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    return ADDON_PATH.test(decodeURIComponent(resolved.url)) ? { ...resolved, url: target } : resolved;
  },
});
