/** The edge agent as a process: the command line, start-up errors as exit codes, and a clean stop on SIGINT or SIGTERM. */
import { pino, type Logger } from 'pino';
import { AppError } from '../shared/errors';
import { USAGE, parseCliArgs } from './config/cli-args';
import { loadEdgeConfig } from './config/load-config';
import { startAgent } from './main';

/** Stops the agent on SIGINT or SIGTERM; a second signal exits at once. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal }, 'stopping');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Prints a start-up error; bad arguments or configuration exit with 2. */
export function reportStartError(error: unknown): number {
  if (AppError.match(error, 'config.invalid')) {
    process.stderr.write(`ampshare: ${error.details.length > 0 ? 'invalid configuration' : error.message}\n`);
    for (const issue of error.details) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
    return 2;
  }
  process.stderr.write(`ampshare: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

/** Runs the agent alone for the site in `--config`. */
export async function runAgent(argv: readonly string[]): Promise<void> {
  try {
    const args = parseCliArgs(argv);
    if (args.help || args.configFile === undefined) {
      process.stdout.write(`${USAGE}\n`);
      process.exitCode = args.help ? 0 : 2;
      return;
    }
    const config = loadEdgeConfig(args.configFile);
    const logger = pino({ level: config.logging.level });
    const agent = await startAgent(config, { logger });
    logger.info({ ocpp: agent.ocppUrl, dashboard: agent.dashboardUrl, site: config.site.id }, 'edge agent running');
    stopOnSignals(() => agent.stop(), logger);
  } catch (error) {
    process.exitCode = reportStartError(error);
  }
}
