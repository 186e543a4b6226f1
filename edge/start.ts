/** The edge agent's command, as a site runs it: `node --import tsx edge/start.ts --config <file>` (`--help` for usage). */
import { runAgent } from './agent-process';

await runAgent(process.argv.slice(2));
