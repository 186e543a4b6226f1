/**
 * `npm run allocate -- <trial.json> [--json]`: runs the allocator on a site-and-policy file and prints what every
 * connector would get and the load of every circuit, so an installer can try a configuration before touching a site.
 */
import { runAllocateCommand } from './allocate-trial';

process.exitCode = await runAllocateCommand(process.argv.slice(2), (text) => console.log(text), (text) => console.error(text));
