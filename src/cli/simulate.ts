// `hookline simulate`: simulated devices against any hookline URL (see
// SIMULATE_USAGE), with a progress line. Ctrl+C stops them.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { selfSignedPaths } from '../tls/self-signed.ts';
import { progressLine } from '../simulate/simulation.ts';
import { parseSimulateArgs, SIMULATE_USAGE } from '../simulate/options.ts';
import { startSimulation } from '../simulate/start-simulation.ts';

export async function run(argv: string[]): Promise<number> {
  const parsed = parseSimulateArgs(argv, process.env);
  if (parsed.help) {
    process.stdout.write(SIMULATE_USAGE);
    return 0;
  }
  if (!parsed.options) {
    process.stderr.write(parsed.problems.map((p) => `hookline simulate: ${p}`).join('\n') + `\n\n${SIMULATE_USAGE}`);
    return 2;
  }
  const o = parsed.options;
  const ca = trustedCa(o.url, o.ca, o.dataDir);
  if (ca) return rerunTrusting(ca, argv);
  const tty = process.stdout.isTTY === true;
  const started = Date.now();
  let sim;
  try {
    sim = await startSimulation(o);
  } catch (e) {
    process.stderr.write(`hookline simulate: could not set up the devices at ${o.url}: ${(e as Error).message}\n`);
    return 1;
  }
  const what = [o.devices > 0 ? `${o.devices} Particle-style device${o.devices > 1 ? 's' : ''} (event ${o.event})` : '', o.wemos > 0 ? `${o.wemos} Wemos-style (${o.wemosPath})` : '']
    .filter(Boolean)
    .join(' + ');
  process.stdout.write(`simulating ${what} against ${o.url}, every ${o.periodMs} ms${o.count ? `, ${o.count} times each` : ''}; Ctrl+C stops\n`);
  // On a terminal the line rewrites itself; in a log, one line every 10 s.
  const print = (final: boolean) => {
    if (o.quiet && !final) return;
    const line = progressLine(sim.stats, Date.now() - started);
    if (tty) process.stdout.write(`\r\x1b[K${line}${final ? '\n' : ''}`);
    else process.stdout.write(line + '\n');
  };
  const timer = setInterval(() => print(false), tty ? 1000 : 10_000);
  const stop = () => void sim.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await sim.finished;
  clearInterval(timer);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  print(true);
  return sim.stats.sent > 0 && sim.stats.ok === 0 ? 1 : 0;
}

/**
 * The certificate to trust for an https:// hub: --ca, else the data
 * directory's self-signed one when it exists. Undefined when nothing is to be
 * added (plain http, none found, or already loaded by NODE_EXTRA_CA_CERTS).
 */
function trustedCa(url: string, ca: string | undefined, dataDir: string): string | undefined {
  if (!url.startsWith('https:') || process.env.NODE_EXTRA_CA_CERTS) return undefined;
  if (ca) return ca;
  const own = selfSignedPaths(dataDir).cert;
  return existsSync(own) ? own : undefined;
}

/**
 * Node's fetch takes extra trusted certificates only from NODE_EXTRA_CA_CERTS,
 * read once at process start (Node 20 has no tls.setDefaultCACertificates and
 * its bundled undici's Agent is not exposed), so the command runs itself again
 * with it set. Ctrl+C reaches both processes; the child prints the summary.
 */
async function rerunTrusting(ca: string, argv: string[]): Promise<number> {
  if (!existsSync(ca)) {
    process.stderr.write(`hookline simulate: --ca ${ca}: no such file\n`);
    return 2;
  }
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], 'simulate', ...argv], { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: ca } });
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  try {
    return await new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  } finally {
    process.off('SIGINT', ignore);
  }
}
