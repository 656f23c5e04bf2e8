// `hookline simulate`: simulated devices against any hookline URL (see
// SIMULATE_USAGE), with a progress line. Ctrl+C stops them.

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
