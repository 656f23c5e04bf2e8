// hookline <command> [options]. Each command lives in its own file and
// exports run(argv): Promise<number> (the exit code).

import { ConfigError } from '../config/load-config.ts';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  serve: { summary: 'start the server (npm start)', load: () => import('./serve.ts') },
  query: { summary: 'run InfluxQL or SQL against a server or a data directory', load: () => import('./query.ts') },
  tls: { summary: 'TLS certificate tools (tls fingerprint)', load: () => import('./tls.ts') },
  demo: { summary: 'start the server with simulated devices and the seeds\' integrations', load: () => import('./demo.ts') },
  recovery: { summary: 'recovery create-token: a new all-access token for a stopped hub (lost first-start token)', load: () => import('./recovery.ts') },
  backup: { summary: 'backup <dir> [--host URL] [--token T]: an online backup of a running hub', load: () => import('./backup.ts') },
  restore: { summary: 'restore <dir> [--data-dir DIR]: a backup into an empty data directory (hub stopped)', load: () => import('./restore.ts') },
  simulate: { summary: 'run simulated devices against any hookline URL', load: () => import('./simulate.ts') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return `usage: hookline <command> [options]\n\ncommands:\n${lines.join('\n')}\n  help         this text\n\nSettings come from HOOKLINE_* environment variables or --flags; see docs/config.md.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(usage());
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    process.stderr.write(`unknown command: ${command}\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await entry.load()).run(rest);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message + '\n');
      return 2;
    }
    throw e;
  }
}
