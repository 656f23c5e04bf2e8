// Webhook fan-out benchmark (issue 4): a device publishes over MQTT (QoS 1,
// the same pipeline as HTTP) to a hookline child process; K integrations
// (1, 10, 100) match every event and POST it to a loopback sink in this
// process. For each K:
//   throughput  a burst of events, deliveries/s from the first publish to the last delivery
//   latency     an open-loop rate (BENCH_LATENCY_RATE deliveries/s) for a few seconds,
//               p50/p99/max from publish to arrival at the sink
// Prints a table and one line `BENCH_JSON {...}`.
//   node --import tsx bench/webhooks.ts
//   BENCH_DELIVERIES=20000 BENCH_FANOUT=1,10,100 BENCH_LATENCY_RATE=1000 node --import tsx bench/webhooks.ts
//   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" ... profiles the server
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt from 'mqtt';
import { httpRequest, HOST } from './lib/http-client.ts';
import { findFreePort, killAllServersSync, ServerProcess, waitUntilReady } from './lib/server-process.ts';
import { percentile, startSink, type Sink } from './lib/webhook-sink.ts';

const TOKEN = 'bench-webhooks-token-0123456789';
const deliveries = Number(process.env.BENCH_DELIVERIES ?? 30000);
const fanouts = (process.env.BENCH_FANOUT ?? '1,10,100').split(',').map(Number);
const latencyRate = Number(process.env.BENCH_LATENCY_RATE ?? 1000);
const latencySeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 5);
const window = Number(process.env.BENCH_WINDOW ?? 256);

interface Result {
  integrations: number;
  /** Server CPU (user + system) per delivery in the throughput phase: steadier than rates on a shared machine. */
  serverCpuMicrosPerDelivery: number;
  /** This process's CPU (the sink and the MQTT publisher) per delivery: it shares the cores with the server. */
  benchCpuMicrosPerDelivery: number;
  events: number;
  deliveries: number;
  seconds: number;
  deliveriesPerSecond: number;
  eventsPerSecond: number;
  latency: { rate: number; samples: number; p50: number; p99: number; max: number };
}

async function call(port: number, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any> {
  const r = await httpRequest({ port, method: method as 'POST', path, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
  return r.body ? JSON.parse(r.body) : undefined;
}

/** Publishes `n` events with at most `window` unacknowledged, as fast as hookline accepts them. */
async function burst(client: mqtt.MqttClient, n: number): Promise<void> {
  let sent = 0;
  let inflight = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (inflight < window && sent < n) {
        inflight++;
        sent++;
        client.publish('events/bench', `{"t":${Date.now()},"i":${sent}}`, { qos: 1 }, (err) => {
          inflight--;
          if (err) return reject(err);
          if (sent === n && inflight === 0) resolve();
          else pump();
        });
      }
    };
    pump();
  });
}

/** Publishes at a fixed event rate for `seconds` (open loop). */
async function paced(client: mqtt.MqttClient, eventsPerSecond: number, seconds: number): Promise<number> {
  const total = Math.max(1, Math.round(eventsPerSecond * seconds));
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / eventsPerSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    client.publish('events/bench', `{"t":${Date.now()},"i":${i}}`, { qos: 1 });
  }
  return total;
}

/** CPU seconds (user + system) a process used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

async function scenario(port: number, mqttPort: number, sink: Sink, k: number, pid: number): Promise<Result> {
  // Each scenario starts with exactly k integrations.
  for (const i of (await call(port, 'GET', '/v1/integrations')) as Array<{ id: string }>) await call(port, 'DELETE', `/v1/integrations/${i.id}`);
  for (let i = 0; i < k; i++) await call(port, 'POST', '/v1/integrations', { event: 'bench', url: `${sink.url}/s/${i}`, body: '{{{PARTICLE_EVENT_VALUE}}}', noDefaults: true, headers: { 'Content-Type': 'application/json' } });
  const device = await call(port, 'POST', '/v1/devices', {});
  const client = await mqtt.connectAsync(`mqtt://${HOST}:${mqttPort}`, { username: device.id, password: device.token, reconnectPeriod: 0 });
  try {
    // Warm-up: connections to the sink, JIT.
    sink.reset();
    const warm = Math.max(1, Math.ceil(Math.min(2000, deliveries / 10) / k));
    await burst(client, warm);
    await sink.waitFor(warm * k, 60_000);

    const events = Math.max(1, Math.round(deliveries / k));
    sink.reset();
    const t0 = performance.now();
    const cpu0 = cpuSeconds(pid);
    const own0 = process.cpuUsage();
    await burst(client, events);
    await sink.waitFor(events * k, 300_000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const own = process.cpuUsage(own0);

    sink.reset();
    const rate = Math.max(1, latencyRate / k);
    const sent = await paced(client, rate, latencySeconds);
    await sink.waitFor(sent * k, 120_000);
    const lat = [...sink.latencies].sort((a, b) => a - b);
    return {
      integrations: k,
      serverCpuMicrosPerDelivery: Math.round((cpu * 1e6) / (events * k)),
      benchCpuMicrosPerDelivery: Math.round((own.user + own.system) / (events * k)),
      events,
      deliveries: events * k,
      seconds: Math.round(seconds * 1000) / 1000,
      deliveriesPerSecond: Math.round((events * k) / seconds),
      eventsPerSecond: Math.round(events / seconds),
      latency: { rate: latencyRate, samples: lat.length, p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat[lat.length - 1] },
    };
  } finally {
    await client.endAsync();
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'hookline-bench-webhooks-'));
  const port = await findFreePort();
  const mqttPort = await findFreePort();
  const sink = await startSink();
  const server = new ServerProcess({
    name: 'hookline',
    command: process.execPath,
    // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
    args: [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), 'bin/hookline.js', 'serve'],
    cwd: new URL('..', import.meta.url).pathname,
    env: {
      ...process.env,
      HOOKLINE_DATA_DIR: join(dir, 'data'),
      HOOKLINE_HTTP_PORT: String(port),
      HOOKLINE_MQTT_PORT: String(mqttPort),
      HOOKLINE_OPENTSDB_PORT: '0',
      HOOKLINE_INIT_TOKEN: TOKEN,
      HOOKLINE_LOG_LEVEL: 'warn',
      HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1',
      HOOKLINE_WEBHOOK_QUEUE_LIMIT: String(Math.max(100_000, deliveries * 2)),
    },
    logPath: join(dir, 'server.log'),
  });
  const results: Result[] = [];
  try {
    await waitUntilReady(server, async () => (await httpRequest({ port, method: 'GET', path: '/ping' }).catch(() => ({ status: 0 }))).status === 204, 60_000);
    for (const k of fanouts) {
      const r = await scenario(port, mqttPort, sink, k, server.pid);
      results.push(r);
      process.stderr.write(`${String(k).padStart(3)} integrations: ${r.deliveriesPerSecond} deliveries/s (${r.eventsPerSecond} events/s, server ${r.serverCpuMicrosPerDelivery} µs CPU/delivery, sink and publisher ${r.benchCpuMicrosPerDelivery} µs), latency at ${r.latency.rate}/s p50 ${r.latency.p50} ms p99 ${r.latency.p99} ms max ${r.latency.max} ms\n`);
    }
  } finally {
    await server.stop();
    await sink.close();
    if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
  }
  console.log('BENCH_JSON ' + JSON.stringify({ bench: 'webhooks', transport: 'mqtt-qos1', sink: 'loopback http', results }));
}

process.on('exit', killAllServersSync);
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
