// `hookline serve`: start the server, print how to reach it (and, on first
// start, the admin token, once), stop cleanly on SIGINT/SIGTERM.

import { loadConfig, splitFlags } from '../config/load-config.ts';
import { startServer } from '../server.ts';

export async function run(argv: string[]): Promise<number> {
  const { flags, unknown } = splitFlags(argv);
  if (unknown.length > 0) {
    process.stderr.write(`unknown option${unknown.length > 1 ? 's' : ''}: ${unknown.join(' ')} (see docs/config.md)\n`);
    return 2;
  }
  const config = loadConfig(process.env, flags);
  const server = await startServer(config);
  const lines = [``, `hookline is running: ${server.url}`, `  explorer:       ${server.url}/  (sign in with the token)`, `  data directory: ${config.dataDir}`];
  if (server.firstRun) {
    const fr = server.firstRun;
    lines.push(
      ``,
      `First start: created`,
      `  org:    ${fr.org.name} (${fr.org.id})`,
      `  bucket: ${fr.bucket.name} (${fr.bucket.id})`,
      `  token:  ${fr.token}`,
      `This all-access token is shown only now; keep it safe. Try:`,
      `  curl -i "${server.url}/api/v2/write?org=${encodeURIComponent(fr.org.name)}&bucket=${encodeURIComponent(fr.bucket.name)}&precision=s" \\`,
      `    -H "Authorization: Token ${fr.token}" --data-binary "data,device=demo count=42 $(date +%s)"`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write('stopping...\n');
  await server.close();
  return 0;
}
