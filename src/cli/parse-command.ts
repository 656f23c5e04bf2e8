// The argument handling every `hookline <command>` shares: node:util's
// parseArgs, `--help` printing the usage, and the usage on stderr with exit
// code 2 for a bad option or a wrong number of arguments (as getopt-style
// tools answer).

import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

/**
 * The command's options and positionals, or the exit code to return at once
 * (0 after --help, 2 after a usage error). `positionalsOk` says whether the
 * positionals are what the command takes.
 */
export function parseCommand(name: string, argv: string[], options: NonNullable<ParseArgsConfig['options']>, usage: string, positionalsOk: (p: string[]) => boolean): Parsed | number {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true }) as Parsed;
  } catch (e) {
    process.stderr.write(`hookline ${name}: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (!positionalsOk(parsed.positionals)) {
    process.stderr.write(usage);
    return 2;
  }
  return parsed;
}
