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
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // Bounded shutdown (issue 10, finding 9): close listeners, end streams and
  // MQTT, flush; past HOOKLINE_SHUTDOWN_TIMEOUT, or on a second signal, exit
  // anyway. Every acknowledged write is in the write-ahead log, so a forced
  // exit loses nothing that was acknowledged (test/crash.test.ts).
  process.stdout.write(`stopping (${signal}; a second signal or ${Math.round(config.shutdownTimeout / 1000)} s force the exit)...\n`);
  const force = (why: string) => {
    process.stderr.write(`${why}: exiting without waiting further (acknowledged writes are in the write-ahead log)\n`);
    process.exit(1);
  };
  const timer = setTimeout(() => force(`shutdown took longer than ${config.shutdownTimeout} ms (HOOKLINE_SHUTDOWN_TIMEOUT)`), config.shutdownTimeout);
  timer.unref();
  const again = (s: NodeJS.Signals) => force(`second ${s}`);
  process.once('SIGINT', again);
  process.once('SIGTERM', again);
  await server.close();
  // The timer stays armed (unref'd): should a handle outlive close() and keep the process up, it still ends it.
  process.stdout.write('stopped\n');
  return 0;
}
