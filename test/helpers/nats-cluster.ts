// A three-server NATS cluster with JetStream on loopback, for the tests that
// replicate (R3). Debian's nats-server (`.ci/run` installs it when missing);
// every server gets free ports and its own store directory.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { freePort } from './server.ts';

export interface NatsClusterServer {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on its ports and store directory (after kill). */
  restart(): Promise<void>;
}

export interface NatsCluster {
  servers: NatsClusterServer[];
  /** nats://a,b,c/<ns>: every server, for HOOKLINE_NATS_URL. */
  url(ns: string, first?: number): string;
  stop(): Promise<void>;
}

export async function startNatsCluster(size = 3, bin = process.env.NATS_SERVER ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server')): Promise<NatsCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'hookline-nats-'));
  const ports = await Promise.all(Array.from({ length: size }, async () => ({ client: await freePort(), route: await freePort() })));
  const routes = ports.map((p) => `nats://127.0.0.1:${p.route}`).join(',');
  const servers: NatsClusterServer[] = ports.map((p, i) => {
    const name = `n${i + 1}`;
    const run = () => spawn(bin, ['-a', '127.0.0.1', '-p', String(p.client), '-js', '-sd', join(dir, name), '--server_name', name, '--cluster_name', 'hltest', '--cluster', `nats://127.0.0.1:${p.route}`, '--routes', routes], { stdio: 'ignore' });
    const server: NatsClusterServer = {
      name,
      port: p.client,
      url: `127.0.0.1:${p.client}`,
      child: run(),
      kill(signal: NodeJS.Signals = 'SIGTERM') {
        const child = server.child;
        return new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill(signal);
        });
      },
      async restart() {
        server.child = run();
        await ready(server.url, size);
      },
    };
    return server;
  });
  await ready(servers[0].url, size);
  return {
    servers,
    url(ns, first = 0) {
      const order = [...servers.slice(first), ...servers.slice(0, first)];
      return `nats://${order.map((s) => s.url).join(',')}/${ns}`;
    },
    async stop() {
      await Promise.all(servers.map((s) => s.kill('SIGKILL')));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once an R`size` stream can be made through `url` (JetStream has a meta leader and every peer). */
async function ready(url: string, size: number): Promise<void> {
  // Ready once JetStream has a meta leader: an R3 stream can then be made.
  const end = Date.now() + 30_000;
  for (;;) {
    try {
      const nc = await connect({ servers: url, timeout: 1000 });
      try {
        const jsm = await nc.jetstreamManager();
        const probe = `probe_${Date.now()}`;
        await jsm.streams.add({ name: probe, subjects: [probe], num_replicas: size });
        await jsm.streams.delete(probe);
        break;
      } finally {
        await nc.close();
      }
    } catch (e) {
      if (Date.now() > end) throw new Error(`the NATS cluster did not form: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
