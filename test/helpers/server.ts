// A real hookline for tests: in-process on port 0 with a fresh data directory,
// or as a child process (for crash tests and the CLI).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { loadConfig } from '../../src/config/load-config.ts';
import { startServer, type Server } from '../../src/server.ts';

export const TOKEN = 'test-admin-token-0123456789';
export const ORG = 'test-org';
export const BUCKET = 'test-bucket';

export interface TestServer extends Server {
  token: string;
  dataDir: string;
  /** Stop the server and remove its data directory. */
  stop(): Promise<void>;
  /** Stop and start again on the same data directory (a clean restart). */
  restart(): Promise<TestServer>;
}

export async function tempDir(prefix = 'hookline-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function startTestServer(env: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? (await tempDir());
  const config = loadConfig({
    HOOKLINE_DATA_DIR: dir,
    HOOKLINE_HTTP_PORT: '0',
    HOOKLINE_INIT_ORG: ORG,
    HOOKLINE_INIT_BUCKET: BUCKET,
    HOOKLINE_INIT_TOKEN: TOKEN,
    HOOKLINE_LOG_LEVEL: 'silent',
    // Side listeners stay off unless a test asks for them (with a free port from freePort()).
    HOOKLINE_MQTT_PORT: '0',
    HOOKLINE_OPENTSDB_PORT: '0',
    ...env,
  });
  const server = await startServer(config, { logger: false });
  const ts: TestServer = Object.assign(server, {
    token: TOKEN,
    dataDir: dir,
    async stop() {
      await server.close();
      if (!process.env.HOOKLINE_TEST_KEEP_DATA) await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await server.close();
      return startTestServer(env, dir);
    },
  });
  return ts;
}

/** fetch with the admin token. */
export function api(server: { url: string; token: string }, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Token ${server.token}`);
  return fetch(server.url + path, { ...init, headers });
}

export async function writeLp(server: { url: string; token: string }, lines: string, params = `org=${ORG}&bucket=${BUCKET}&precision=s`): Promise<Response> {
  return api(server, `/api/v2/write?${params}`, { method: 'POST', body: lines });
}

export async function sql<T = Record<string, unknown>>(server: { url: string; token: string }, q: string, db = BUCKET): Promise<T[]> {
  const r = await api(server, `/api/v3/query_sql?db=${encodeURIComponent(db)}&format=json&q=${encodeURIComponent(q)}`);
  const text = await r.text();
  if (r.status !== 200) throw new Error(`query failed ${r.status}: ${text}`);
  return JSON.parse(text) as T[];
}

export interface ChildServer {
  url: string;
  token: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `node bin/hookline.js serve` as a separate process and waits for it to listen. */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}, args: string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, ['bin/hookline.js', 'serve', ...args], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: {
      ...process.env,
      HOOKLINE_DATA_DIR: dataDir,
      HOOKLINE_HTTP_PORT: '0',
      HOOKLINE_INIT_ORG: ORG,
      HOOKLINE_INIT_BUCKET: BUCKET,
      HOOKLINE_INIT_TOKEN: TOKEN,
      HOOKLINE_LOG_LEVEL: 'warn',
      HOOKLINE_MQTT_PORT: '0',
      HOOKLINE_OPENTSDB_PORT: '0',
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const check = () => {
      const m = /hookline is running: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    token: env.HOOKLINE_INIT_TOKEN ?? TOKEN,
    dataDir,
    child,
    output: () => out,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}

/** A TCP port that was free a moment ago (for listeners whose port 0 means "off"). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
