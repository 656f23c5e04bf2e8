// Issue 15's scale table: reads the `BENCH_JSON` lines of bench:ingest and
// bench:query runs at several dataset sizes (files named on the command line,
// or stdin) and prints one table per target, one column per size, so the
// growth of each cost with the data is visible: ingest points/s, bytes/point,
// peak RSS, then each query's median ms. Nothing is measured here.
//
//   for s in "2000000 1000" "20000000 10000" "20000000 100000"; do set -- $s
//     BENCH_POINTS=$1 BENCH_SERIES=$2 npm run bench:ingest; BENCH_POINTS=$1 BENCH_SERIES=$2 npm run bench:query
//   done 2>/dev/null | grep '^BENCH_JSON ' > runs.jsonl
//   node --import tsx bench/scale-table.ts runs.jsonl
import { readFileSync } from 'node:fs';

interface IngestLine {
  bench: 'ingest';
  dataset: { points: number; series: number };
  results: { target: string; pointsPerSecond: number; bytesPerPoint: number; peakRssBytes: number }[];
}
interface QueryLine {
  bench: 'query';
  loadAverage: { start: number[] };
  dataset: { points: number; series: number };
  targets: { target: string; queries: { query: string; medianMs: number; checkOk: boolean }[] }[];
}

function sizeLabel(d: { points: number; series: number }): string {
  const n = (x: number) => (x >= 1e6 ? `${x / 1e6} M` : x >= 1e3 ? `${x / 1e3} k` : String(x));
  return `${n(d.points)} pts / ${n(d.series)} series`;
}

function main(): void {
  const files = process.argv.slice(2);
  const text = files.length > 0 ? files.map((f) => readFileSync(f, 'utf8')).join('\n') : readFileSync(0, 'utf8');
  const lines = text
    .split('\n')
    .filter((l) => l.startsWith('BENCH_JSON '))
    .map((l) => JSON.parse(l.slice('BENCH_JSON '.length)) as IngestLine | QueryLine);
  // target -> row name -> size -> cell
  const cells = new Map<string, Map<string, Map<string, string>>>();
  const sizes: string[] = [];
  const put = (target: string, row: string, size: string, value: string) => {
    if (!sizes.includes(size)) sizes.push(size);
    const t = cells.get(target) ?? cells.set(target, new Map()).get(target)!;
    const r = t.get(row) ?? t.set(row, new Map()).get(row)!;
    r.set(size, value);
  };
  for (const l of lines) {
    const size = sizeLabel(l.dataset);
    if (l.bench === 'ingest') {
      for (const r of l.results) {
        put(r.target, 'ingest points/s', size, Math.round(r.pointsPerSecond).toLocaleString('en-US'));
        put(r.target, 'bytes/point', size, r.bytesPerPoint.toFixed(2));
        put(r.target, 'peak RSS MiB', size, (r.peakRssBytes / 2 ** 20).toFixed(0));
      }
    } else if (l.bench === 'query') {
      for (const t of l.targets) {
        put(t.target, 'load at start', size, l.loadAverage.start[0].toFixed(1));
        for (const q of t.queries) put(t.target, `${q.query} ms`, size, `${q.medianMs < 10 ? q.medianMs.toFixed(2) : q.medianMs.toFixed(1)}${q.checkOk ? '' : ' WRONG'}`);
      }
    }
  }
  for (const [target, rows] of cells) {
    const header = [target, ...sizes];
    const body = [...rows].map(([name, bySize]) => [name, ...sizes.map((s) => bySize.get(s) ?? '-')]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
    const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    console.log([fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt)].join('\n'));
    console.log('');
  }
}

main();
