// hookline <command> [options]

import { ConfigError } from '../config/load-config.ts';
import { serve } from './serve.ts';

const USAGE = `usage: hookline <command> [options]

commands:
  serve            start the server (npm start)
  help             this text

Settings come from HOOKLINE_* environment variables or --flags; see docs/config.md.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      default:
        process.stderr.write(`unknown command: ${command}\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message + '\n');
      return 2;
    }
    throw e;
  }
}
