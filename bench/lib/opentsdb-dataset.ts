// The OpenTSDB benchmark's dataset: /api/put JSON bodies, generated
// deterministically (seeded PRNG, fixed start time) before any server starts.
// Two metrics (sensor.temp, a float random walk with 2 decimals, and
// sensor.count, an integer counter) for 500 devices each (tags device and
// site) = 1000 series, one point per series every 10 s, time-major, timestamps
// in seconds: the shape a fleet of ESP8266s posting to OVH Metrics produced.
import { createHash } from 'node:crypto';
import { INTERVAL_SECONDS, mulberry32, START_SECONDS, type Dataset } from './dataset.ts';

export const OPENTSDB_METRICS = ['sensor.temp', 'sensor.count'] as const;
export const OPENTSDB_DEVICES = 500;
const SITES = 20;
const SEED = 0x74736462; // "tsdb"

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `points` JSON points in bodies of `batchPoints` (a JSON array each). */
export function generateOpenTsdbDataset(points: number, batchPoints: number): Dataset {
  const started = performance.now();
  const random = mulberry32(SEED);
  const series = OPENTSDB_METRICS.length * OPENTSDB_DEVICES;
  const prefixes: string[] = [];
  const temp: number[] = [];
  const count: number[] = [];
  for (let d = 0; d < OPENTSDB_DEVICES; d++) {
    for (const metric of OPENTSDB_METRICS) prefixes.push(`{"metric":"${metric}","timestamp":`);
    temp.push(1500 + Math.floor(random() * 1000));
    count.push(Math.floor(random() * 1000));
  }
  const hash = createHash('sha256');
  const batches: Buffer[] = [];
  let bytes = 0;
  let items: string[] = [];
  let timestamp = START_SECONDS;
  for (let i = 0; i < points; i++) {
    const s = i % series;
    const d = Math.floor(s / OPENTSDB_METRICS.length);
    timestamp = START_SECONDS + Math.floor(i / series) * INTERVAL_SECONDS;
    let value: string;
    if (s % 2 === 0) {
      value = `${Math.floor(temp[d] / 100)}.${pad(temp[d] % 100, 2)}`;
      temp[d] = Math.min(4500, Math.max(100, temp[d] + Math.floor(random() * 11) - 5));
    } else {
      value = String(count[d]);
      count[d] += Math.floor(random() * 10);
    }
    items.push(`${prefixes[s]}${timestamp},"value":${value},"tags":{"device":"d${pad(d, 4)}","site":"s${pad(d % SITES, 2)}"}}`);
    if (items.length === batchPoints || i === points - 1) {
      const body = Buffer.from(`[${items.join(',')}]`, 'utf8');
      hash.update(body);
      bytes += body.length;
      batches.push(body);
      items = [];
    }
  }
  return { series: OPENTSDB_DEVICES * OPENTSDB_METRICS.length, batches, points, bytes, firstTimestamp: START_SECONDS, lastTimestamp: timestamp, sha256: hash.digest('hex'), generateMs: performance.now() - started };
}
