// InfluxDB 3's query output formats (influxdb3_server QueryFormat): json (an
// array of row objects), jsonl (one object per line), csv and pretty (an ASCII
// table). Null cells are left out of JSON objects, as Arrow's JSON writer does.

import { jsonCell, textCell, type Cell } from './result-values.ts';
import type { TimeSlicer } from '../time-slice.ts';

export type ResultFormat = 'json' | 'jsonl' | 'csv' | 'pretty';

/** run-sql.ts's SqlResult, by shape: the sandbox side imports this file, so it imports nothing of run-sql.ts (no cycle). */
interface SqlResult {
  columns: string[];
  rows: Cell[][];
}

export const CONTENT_TYPES: Record<ResultFormat, string> = {
  json: 'application/json',
  jsonl: 'application/jsonl',
  csv: 'text/csv',
  pretty: 'text/plain; charset=utf-8',
};

function rowObject(columns: string[], row: Cell[]): string {
  const parts: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    if (row[i] === null) continue;
    parts.push(`${JSON.stringify(columns[i])}:${jsonCell(row[i])}`);
  }
  return `{${parts.join(',')}}`;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatResult(r: SqlResult, format: ResultFormat): string {
  switch (format) {
    case 'json':
      return `[${r.rows.map((row) => rowObject(r.columns, row)).join(',')}]`;
    case 'jsonl':
      return r.rows.map((row) => rowObject(r.columns, row) + '\n').join('');
    case 'csv':
      return [r.columns.map(csvField).join(','), ...r.rows.map((row) => row.map((c) => csvField(textCell(c))).join(','))].join('\n') + '\n';
    case 'pretty':
      return prettyTable(r);
  }
}

/**
 * formatResult, byte for byte, with the rows formatted in slices and the
 * event loop let in between (time-slice.ts); `pretty` pads every cell to its
 * column's width, so it is formatted in one piece.
 */
export async function formatResultSliced(r: SqlResult, format: ResultFormat, sl: TimeSlicer): Promise<string> {
  if (format === 'pretty') return prettyTable(r);
  const lines: string[] = new Array(r.rows.length);
  for (let i = 0; i < r.rows.length; i++) {
    if (sl.due()) await sl.next();
    const row = r.rows[i];
    lines[i] = format === 'csv' ? row.map((c) => csvField(textCell(c))).join(',') : rowObject(r.columns, row);
  }
  if (format === 'json') return `[${lines.join(',')}]`;
  if (format === 'jsonl') return lines.length ? lines.join('\n') + '\n' : '';
  return [r.columns.map(csvField).join(','), ...lines].join('\n') + '\n';
}

/**
 * The length (UTF-16 units) of what formatResult returns for `columns` and the
 * rows added so far, computed row by row as they arrive (in the sandbox) so a
 * result whose encoding is too large is refused before it is built: JSON
 * repeats every column name in every row, pretty pads every cell to its
 * column's width. An upper bound (by a separator or two) of the exact length.
 */
export class FormattedSize {
  private rows = 0;
  private sum = 0;
  private readonly names: number[];
  private readonly widths: number[];

  constructor(
    private readonly columns: string[],
    private readonly format: ResultFormat,
  ) {
    this.names = columns.map((c) => (format === 'csv' ? csvField(c).length : JSON.stringify(c).length));
    this.widths = columns.map((c) => c.length);
  }

  add(row: Cell[]): void {
    this.rows++;
    if (this.format === 'json' || this.format === 'jsonl') {
      // {"name":cell,...} then ',' (json) or '\n' (jsonl)
      let n = 3;
      for (let i = 0; i < row.length; i++) if (row[i] !== null) n += this.names[i] + 2 + jsonCell(row[i]).length;
      this.sum += n;
    } else if (this.format === 'csv') {
      let n = row.length; // commas and the newline
      for (const c of row) n += csvField(textCell(c)).length;
      this.sum += n;
    } else {
      for (let i = 0; i < row.length; i++) {
        const w = textCell(row[i]).length;
        if (w > this.widths[i]) this.widths[i] = w;
      }
    }
  }

  get length(): number {
    switch (this.format) {
      case 'json':
        return 2 + this.sum;
      case 'jsonl':
        return this.sum;
      case 'csv':
        return this.names.reduce((a, b) => a + b, 0) + this.columns.length + this.sum;
      case 'pretty': {
        // Every line is as wide as the table: rules, the header, the rows (and a last rule if there are any).
        const line = this.widths.reduce((a, b) => a + b, 0) + 3 * this.columns.length + 2;
        return (this.rows + (this.rows ? 4 : 3)) * line;
      }
    }
  }
}

function prettyTable(r: SqlResult): string {
  const cells = r.rows.map((row) => row.map(textCell));
  const widths = r.columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const line = (vals: string[]) => '|' + vals.map((v, i) => ` ${v.padEnd(widths[i])} `).join('|') + '|';
  return [rule, line(r.columns), rule, ...cells.map(line), ...(cells.length ? [rule] : [])].join('\n') + '\n';
}

/** format= parameter or Accept header, as InfluxDB 3 reads them. */
export function resultFormat(param: string | undefined, accept: string | undefined): ResultFormat | undefined {
  if (param) {
    const p = param.toLowerCase();
    if (p === 'json' || p === 'csv' || p === 'pretty') return p;
    if (p === 'jsonl' || p === 'json_lines') return 'jsonl';
    return undefined;
  }
  const a = (accept ?? '').toLowerCase();
  if (a === '' || a.includes('application/json') || a.includes('*/*')) return 'json';
  if (a.includes('application/jsonl')) return 'jsonl';
  if (a.includes('text/csv')) return 'csv';
  if (a.includes('text/plain')) return 'pretty';
  return undefined;
}
