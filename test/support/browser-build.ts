/**
 * Vitest global set-up: builds the browser apps when their bundles are missing or older than their sources, so that
 * every test that starts an agent or a console server (and `npm test` on a fresh checkout) finds dist/browser/.
 */
import { buildBrowserApps } from '../../scripts/build-browser';

export default async function setup(): Promise<void> {
  await buildBrowserApps({ ifStale: true });
}
