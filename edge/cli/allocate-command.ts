/**
 * `npm run allocate -- <trial.json> [--at <ISO time>] [--previous <allocation.json>] [--out <file>] [--json]`: runs
 * the allocator on a site-and-policy file (and its later rounds) and prints what every connector would get, the load
 * of every circuit and warnings about what cannot hold, so an installer can try a configuration before touching a site.
 */
import { runAllocateCommand } from './allocate-trial';

process.exitCode = await runAllocateCommand(
  process.argv.slice(2),
  (text) => console.log(text),
  (text) => console.error(text),
);
