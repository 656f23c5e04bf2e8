// The benchmark dataset of the core issue, generated deterministically: the
// same options give the same bytes on every run and every machine, so numbers
// from different runs (and different stores) describe the same input. The
// SHA-256 of the bytes is reported with the results to make that checkable.
//
// Shape: measurement `data`, 1000 series (tag `device` d0000..d0999, tag
// `site` s00..s19 with each device in exactly one site), fields `count`
// (integer counter), `temp` (float, 2 decimals, random walk), `ok` (boolean,
// mostly true). One point per series every 10 s, time-major order (all series
// for t0, then t1, ...), timestamps in seconds (write with precision=s).
import { createHash } from 'node:crypto';

export const MEASUREMENT = 'data';
/** Default number of series (BENCH_SERIES changes it for the scale runs; the default bytes never change). */
export const SERIES = 1000;
export const SITES = 20;
export const INTERVAL_SECONDS = 10;
/**
 * 2025-01-01T00:00:00Z. A fixed past instant keeps the bytes identical across
 * runs; stores with a default retention window (VictoriaMetrics: 1 month) are
 * started with a retention long enough to accept it.
 */
export const START_SECONDS = 1_735_689_600;
/** Any constant works; changing it changes the dataset (and its SHA-256). */
const SEED = 0x686f6f6b; // "hook"

export interface Dataset {
  /** Series (devices) in the dataset: `d0000` .. `d<series - 1>`. */
  readonly series: number;
  /** Pre-encoded request bodies, `batchLines` lines each (the last may be shorter). */
  readonly batches: readonly Buffer[];
  readonly points: number;
  readonly bytes: number;
  readonly firstTimestamp: number;
  /** Timestamp of the last line written (seconds). */
  readonly lastTimestamp: number;
  /** Hex SHA-256 of all batches concatenated: identical runs have identical digests. */
  readonly sha256: string;
  readonly generateMs: number;
}

/**
 * mulberry32: a tiny 32-bit PRNG with good enough statistics for synthetic
 * telemetry. Integer-only arithmetic, so it is bit-for-bit reproducible.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DeviceState {
  /** `data,device=d0042,site=s02 ` - everything before the fields, precomputed. */
  readonly prefix: string;
  count: number;
  /** Temperature in hundredths of a degree: integer steps keep the walk exact. */
  tempCenti: number;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `d0042`: four digits as in the default dataset, more when there are more series. */
export function deviceName(i: number, series: number): string {
  return `d${pad(i, Math.max(4, String(series - 1).length))}`;
}

function initialDevices(random: () => number, series: number): DeviceState[] {
  const devices: DeviceState[] = [];
  for (let i = 0; i < series; i++) {
    // Tags in key order (device < site): what InfluxDB recommends and what a
    // well-behaved client sends.
    devices.push({
      prefix: `${MEASUREMENT},device=${deviceName(i, series)},site=s${pad(i % SITES, 2)} `,
      count: Math.floor(random() * 1000),
      tempCenti: 1500 + Math.floor(random() * 1000), // 15.00 .. 24.99
    });
  }
  return devices;
}

/** Formats hundredths as a decimal with exactly 2 digits after the point. */
function formatCenti(centi: number): string {
  const sign = centi < 0 ? '-' : '';
  const abs = Math.abs(centi);
  return `${sign}${Math.floor(abs / 100)}.${pad(abs % 100, 2)}`;
}

/** Emits one line for the device, then advances its state by one step. */
function nextLine(device: DeviceState, timestamp: number, random: () => number): string {
  const ok = random() >= 0.02; // ~2% false: "mostly true"
  const line = `${device.prefix}count=${device.count}i,temp=${formatCenti(device.tempCenti)},ok=${ok} ${timestamp}\n`;
  device.count += Math.floor(random() * 10); // small steps, never decreasing
  const step = Math.floor(random() * 11) - 5; // -0.05 .. +0.05
  // Keep the walk in a plausible range instead of letting it drift forever.
  device.tempCenti = Math.min(4500, Math.max(-2000, device.tempCenti + step));
  return line;
}

/**
 * Generates `points` lines in time-major order over `series` devices, cut
 * into bodies of `batchLines` lines. Runs before any timing starts.
 */
export function generateDataset(points: number, batchLines: number, series = SERIES): Dataset {
  const started = performance.now();
  const random = mulberry32(SEED);
  const devices = initialDevices(random, series);
  const hash = createHash('sha256');
  const batches: Buffer[] = [];
  let bytes = 0;
  let lines: string[] = [];
  let timestamp = START_SECONDS;

  for (let i = 0; i < points; i++) {
    timestamp = START_SECONDS + Math.floor(i / series) * INTERVAL_SECONDS;
    lines.push(nextLine(devices[i % series], timestamp, random));
    if (lines.length === batchLines || i === points - 1) {
      const body = Buffer.from(lines.join(''), 'utf8');
      hash.update(body);
      bytes += body.length;
      batches.push(body);
      lines = [];
    }
  }

  return {
    series,
    batches,
    points,
    bytes,
    firstTimestamp: START_SECONDS,
    lastTimestamp: timestamp,
    sha256: hash.digest('hex'),
    generateMs: performance.now() - started,
  };
}
