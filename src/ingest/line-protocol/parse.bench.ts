// Micro-benchmark of the line-protocol parser: lines/s and MB/s on the ingest
// benchmark's shape of data, and on lines heavy with escapes and strings.
// Run: npm run bench:parse. Prints one JSON line per case (BENCH_JSON ...).

import { parseLineProtocol } from './parse.ts';

function dataset(n: number, escaped: boolean): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = i % 1000;
    const t = 1_700_000_000 + Math.floor(i / 1000) * 10;
    if (!escaped) {
      lines.push(`data,device=d${String(d).padStart(4, '0')},site=s${String(d % 20).padStart(2, '0')} count=${i}i,temp=${(20 + (i % 997) / 100).toFixed(2)},ok=${i % 50 ? 'true' : 'false'} ${t}`);
    } else {
      lines.push(`my\\ data,device=d\\,${d},site=s\\=${d % 20},host=a\\ b count=${i}i,msg="said \\"hi\\", ok",temp=${(i % 997) / 7} ${t}000000000`);
    }
  }
  return Buffer.from(lines.join('\n'));
}

/** Parses `buf` in request-sized bodies of `batch` lines, as the server sees them. */
function run(name: string, buf: Buffer, lines: number, precision: 's' | 'ns', batch = 5000): void {
  const opts = { precision, now: { sec: 1_700_000_000, nsec: 0 } };
  const bodies: Buffer[] = [];
  for (let start = 0, count = 0; start < buf.length; ) {
    let end = start;
    for (let k = 0; k < batch && end < buf.length; k++) {
      const nl = buf.indexOf(10, end);
      end = nl < 0 ? buf.length : nl + 1;
      count++;
    }
    bodies.push(buf.subarray(start, end));
    start = end;
    void count;
  }
  const parseAll = () => {
    let n = 0;
    for (const body of bodies) {
      const b = parseLineProtocol(body, opts);
      if (b.errors.length) throw new Error(b.errors[0].message);
      n += b.n;
    }
    return n;
  };
  for (let i = 0; i < 3; i++) parseAll(); // warm up the JIT
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const n = parseAll();
    times.push(performance.now() - t0);
    if (n !== lines) throw new Error(`parsed ${n} of ${lines}`);
  }
  times.sort((a, b) => a - b);
  const ms = times[3];
  const result = {
    bench: 'parse-line-protocol',
    case: name,
    batch_lines: batch,
    lines,
    bytes: buf.length,
    median_ms: Number(ms.toFixed(1)),
    lines_per_s: Math.round(lines / (ms / 1000)),
    mb_per_s: Number((buf.length / 1e6 / (ms / 1000)).toFixed(1)),
  };
  console.log(`${name.padEnd(10)} ${String(result.lines_per_s).padStart(10)} lines/s ${String(result.mb_per_s).padStart(7)} MB/s`);
  console.log('BENCH_JSON ' + JSON.stringify(result));
}

const N = Number(process.env.BENCH_LINES ?? 500_000);
run('device', dataset(N, false), N, 's');
run('escaped', dataset(N / 5, true), N / 5, 'ns');
