// RFC 4180 CSV of a table: fields with a comma, quote or line break are quoted,
// quotes doubled; lines end in CRLF as the RFC says (spreadsheets accept both).
// Epoch-millisecond `time` cells are written as RFC 3339 so the file reads
// the same in any time zone.

import type { Table } from './result-table.ts';

function field(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: Table, opts: { epochTime?: boolean } = {}): string {
  const ti = t.columns.indexOf('time');
  const lines = [t.columns.map(field).join(',')];
  for (const row of t.rows) {
    const cells = row.map((v, i) => (i === ti && opts.epochTime && typeof v === 'number' ? new Date(v).toISOString() : v));
    lines.push(cells.map(field).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** A file name for the download: measurement and the moment, no characters file systems reject. */
export function csvFileName(base: string, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  const safe = (base || 'query').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60);
  return `${safe}-${stamp}.csv`;
}
