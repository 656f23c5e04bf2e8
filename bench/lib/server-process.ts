// Starting and stopping the servers under test. Each server runs in its own
// process group (so a server that forks helpers is stopped as a whole) with
// its output in a log file outside the measured data dir (so logs do not
// count as stored bytes, and are there to print when something fails).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HOST } from './http-client.ts';

export interface StartOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logPath: string;
}

/** Every server started and not yet stopped, for the exit-time safety net. */
const running = new Set<ServerProcess>();

export class ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  private readonly child: ChildProcess;
  private exitCode: number | string | null = null;
  private readonly exited: Promise<void>;

  constructor(options: StartOptions) {
    this.name = options.name;
    this.logPath = options.logPath;
    const log = openSync(options.logPath, 'w');
    try {
      this.child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', log, log],
        detached: true, // own process group: stop() signals the whole group
      });
    } finally {
      closeSync(log); // the child holds its own copy
    }
    if (this.child.pid === undefined) throw new Error(`${this.name}: could not start ${options.command}`);
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? signal ?? 'unknown';
        running.delete(this);
        resolve();
      });
      this.child.once('error', (err) => {
        this.exitCode = err.message;
        running.delete(this);
        resolve();
      });
    });
    running.add(this);
  }

  isAlive(): boolean {
    return this.exitCode === null;
  }

  /** True if the process has exited or does so within `ms`. */
  async exitsWithin(ms: number): Promise<boolean> {
    if (!this.isAlive()) return true;
    return Promise.race([this.exited.then(() => true), sleep(ms).then(() => false)]);
  }

  describeExit(): string {
    return `${this.name} exited (${String(this.exitCode)})`;
  }

  /** The end of the server's log, for error reports. */
  logTail(lines = 30): string {
    try {
      const text = readFileSync(this.logPath, 'utf8').trimEnd();
      return text === '' ? '(empty log)' : text.split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** SIGTERM to the group, then SIGKILL if it is still there after the grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.isAlive()) return;
    signalGroup(this.pid, 'SIGTERM');
    const timedOut = await Promise.race([this.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (timedOut) {
      signalGroup(this.pid, 'SIGKILL');
      await this.exited;
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stops every server still running (after a target, whether it succeeded or not). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

/** Last resort on process exit (e.g. an uncaught error): leave no server behind. */
export function killAllServersSync(): void {
  for (const server of running) signalGroup(server.pid, 'SIGKILL');
}

/**
 * Polls until `ready()` is true. Fails early when the server exits, with its
 * log tail, instead of waiting for the timeout.
 */
export async function waitUntilReady(server: ServerProcess, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!server.isAlive()) throw new Error(`${server.describeExit()} before it was ready. Log tail:\n${server.logTail()}`);
    if (await ready()) return;
    await sleep(100);
  }
  throw new Error(`${server.name} not ready within ${timeoutMs} ms. Log tail:\n${server.logTail()}`);
}

/**
 * A port that is free now: the OS picks it for a throw-away listener. Another
 * process could take it before the server binds; on a bench machine that race
 * is rare enough, and the server's start-up error would say so.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** The first of `names` found as an executable in PATH, or null. */
export function findExecutable(names: readonly string[]): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  // Debian installs daemons under /usr/sbin for some packages; PATH of a
  // non-root shell may not include it.
  for (const extra of ['/usr/bin', '/usr/sbin', '/usr/local/bin']) if (!dirs.includes(extra)) dirs.push(extra);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}
