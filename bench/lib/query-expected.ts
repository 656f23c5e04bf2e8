// The right answers, computed from the very bytes every target was sent (not
// from any target's answer), so a fast wrong answer fails even when only one
// target runs. `temp` has exactly two decimals: summing hundredths as
// integers gives exact window sums (2 M x 4500 < 2^53), so the expected mean
// is the exact mean rounded once.
import type { Dataset } from './dataset.ts';
import { windowStart, windowStarts, type QueryDef, type Row, type TimeRange } from './query-specs.ts';

/** Window sums in hundredths, keyed by window start (s). */
interface Accumulator {
  readonly def: QueryDef;
  readonly sums: Map<number, { centi: number; n: number }>;
}

const TEMP = Buffer.from('temp=');
const DEVICE = Buffer.from('device=');

/** Parses one line written by dataset.ts: `data,device=d0042,site=s02 count=1i,temp=21.37,ok=true 1735689600`. */
function scanLine(buf: Buffer, start: number, end: number): { device: string; centi: number; t: number } {
  const line = buf.subarray(start, end);
  const d = line.indexOf(DEVICE) + DEVICE.length;
  const device = line.toString('latin1', d, line.indexOf(0x2c, d)); // up to ','
  const v = line.indexOf(TEMP) + TEMP.length;
  const text = line.toString('latin1', v, line.indexOf(0x2c, v));
  const centi = Math.round(Number(text) * 100); // exact: at most 2 decimals
  const t = Number(line.toString('latin1', line.lastIndexOf(0x20) + 1));
  if (!Number.isFinite(centi) || !Number.isSafeInteger(t)) throw new Error(`unexpected dataset line: ${line.toString()}`);
  return { device, centi, t };
}

export function expectedAnswers(dataset: Dataset, defs: readonly QueryDef[], range: TimeRange): Map<QueryDef, Row[]> {
  const accs: Accumulator[] = defs.map((def) => ({ def, sums: new Map() }));
  const devicesSeen = new Set<string>();
  for (const body of dataset.batches) {
    let start = 0;
    while (start < body.length) {
      let end = body.indexOf(0x0a, start);
      if (end < 0) end = body.length;
      const { device, centi, t } = scanLine(body, start, end);
      if (devicesSeen.size < dataset.series) devicesSeen.add(device);
      if (t >= range.startSeconds && t < range.endSeconds) {
        for (const acc of accs) {
          if (acc.def.device !== null && acc.def.device !== device) continue;
          const w = windowStart(t, acc.def.everySeconds);
          const s = acc.sums.get(w) ?? { centi: 0, n: 0 };
          s.centi += centi;
          s.n++;
          acc.sums.set(w, s);
        }
      }
      start = end + 1;
    }
  }
  const out = new Map<QueryDef, Row[]>();
  for (const acc of accs) {
    if (acc.def.device !== null && !devicesSeen.has(acc.def.device)) throw new Error(`device ${acc.def.device} is not in the dataset`);
    out.set(
      acc.def,
      windowStarts(acc.def, range).map((w) => {
        const s = acc.sums.get(w);
        return { key: '', timeMs: w * 1000, value: s ? s.centi / s.n / 100 : null };
      }),
    );
  }
  return out;
}

/** Relative tolerance: summation order differs between engines (float64, ~1e-12 here). */
const TOLERANCE = 1e-9;

export interface CheckResult {
  readonly ok: boolean;
  /** Empty when ok; otherwise the first differences. */
  readonly detail: string;
}

/**
 * Compares an answer with the expected rows. Windows with no points are null
 * in InfluxQL's answer (fill(null)) and absent from VictoriaMetrics' answer,
 * so an absent window counts as null; every other row must be there, at the
 * same time, with the same mean within the tolerance.
 */
export function checkRows(expected: readonly Row[], actual: readonly Row[]): CheckResult {
  const problems: string[] = [];
  const at = (r: Row): string => `${r.key}@${r.timeMs}`;
  const label = (r: Row): string => `${r.key ? r.key + ' ' : ''}${new Date(r.timeMs).toISOString()}`;
  const byTime = new Map(actual.map((r) => [at(r), r.value]));
  const expectedTimes = new Set(expected.map(at));
  for (const r of actual) if (!expectedTimes.has(at(r))) problems.push(`unexpected row ${label(r)}`);
  for (const e of expected) {
    const got = byTime.has(at(e)) ? byTime.get(at(e))! : null;
    const ok =
      e.value === null || got === null
        ? e.value === got
        : Math.abs(got - e.value) <= TOLERANCE * Math.max(1, Math.abs(e.value));
    if (!ok) problems.push(`${label(e)}: expected ${e.value}, got ${got}`);
  }
  if (actual.length !== byTime.size) problems.push('duplicate rows');
  return {
    ok: problems.length === 0,
    detail: problems.length === 0 ? '' : `${problems.length} difference(s): ${problems.slice(0, 3).join('; ')}`,
  };
}
