/** The agent's command line: `--config <file>`, `--help`. */
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';

export interface CliArgs {
  readonly configFile: string | undefined;
  readonly help: boolean;
}

export const USAGE =
  'usage: npm start [-- --config <site.json>]\n  --config <file>  run the edge agent alone for this site (no simulator)\n  --help           show this help';

/** Parses argv (without node and the script); unknown or incomplete options throw `config.invalid`. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.config === '') throw new AppError('config.invalid', '--config needs a file name');
    return { configFile: values.config, help: values.help === true };
  } catch (error) {
    if (AppError.match(error)) throw error;
    throw new AppError(
      'config.invalid',
      `${(error as Error).message}\n${USAGE}`,
      [{ path: 'argv', message: (error as Error).message }],
      { cause: error },
    );
  }
}
