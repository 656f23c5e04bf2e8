// The dataset's `temp` points as columns (device index, time, hundredths),
// decoded from the very bytes every target was sent, for the dashboard
// queries' expected answers (dashboard-expected.ts). Byte-level scanning, not
// a string per line: the scale runs decode 20 M lines.
import type { Dataset } from './dataset.ts';

export interface DatasetColumns {
  readonly n: number;
  /** Device index: `d0042` is 42. */
  readonly device: Int32Array;
  /** Seconds since the epoch. */
  readonly t: Float64Array;
  /** `temp` in hundredths: integer sums are exact. */
  readonly centi: Int32Array;
}

const COMMA = 0x2c;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const DEVICE = Buffer.from('device=d');
const TEMP = Buffer.from('temp=');

/** Parses `data,device=d0042,site=s02 count=1i,temp=21.37,ok=true 1735689600` lines as written by dataset.ts. */
export function datasetColumns(dataset: Dataset): DatasetColumns {
  const device = new Int32Array(dataset.points);
  const t = new Float64Array(dataset.points);
  const centi = new Int32Array(dataset.points);
  let n = 0;
  for (const body of dataset.batches) {
    let start = 0;
    while (start < body.length) {
      let end = body.indexOf(NEWLINE, start);
      if (end < 0) end = body.length;
      let p = body.indexOf(DEVICE, start) + DEVICE.length;
      let d = 0;
      while (body[p] !== COMMA) d = d * 10 + (body[p++] - 48);
      p = body.indexOf(TEMP, p) + TEMP.length;
      let sign = 1;
      if (body[p] === 0x2d) {
        sign = -1;
        p++;
      }
      let v = 0;
      let decimals = -1;
      for (; body[p] !== COMMA; p++) {
        if (body[p] === 0x2e) decimals = 0;
        else {
          v = v * 10 + (body[p] - 48);
          if (decimals >= 0) decimals++;
        }
      }
      if (decimals !== 2) throw new Error(`unexpected temp at line ${n}: ${body.toString('latin1', start, end)}`);
      p = body.lastIndexOf(SPACE, end - 1) + 1;
      let ts = 0;
      while (p < end) ts = ts * 10 + (body[p++] - 48);
      device[n] = d;
      t[n] = ts;
      centi[n] = sign * v;
      n++;
      start = end + 1;
    }
  }
  if (n !== dataset.points) throw new Error(`decoded ${n} lines, expected ${dataset.points}`);
  return { n, device, t, centi };
}
