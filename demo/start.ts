/**
 * `npm start`: with arguments (`--config <file>`, `--help`) the edge agent alone, as a site runs it; without, the demo
 * (the agent, the site simulator and the local cloud on this machine). The demo's modules (simulator, local cloud, AWS
 * SDK) are imported only for the demo: loaded on a gateway they would hold about 45 MB of memory for nothing.
 */
import { runAgent } from '../edge/agent-process';

const argv = process.argv.slice(2);
if (argv.length > 0) await runAgent(argv);
else await import('./start-demo');
