// Keeps DuckDB's in-memory `hot` database in step with the memtables, lazily:
// only when a query or a flush needs it. Per measurement:
//   hot.m<id>_g<gen>  points of one memtable (time, sid, rid, f0..fN)
//   hot.s<id>         its series (sid, t0..tK)
//   hot.x<id>         tombstoned keys (gen, time, t0..tK)
// Everything runs on the one `hot` connection, so syncs never interleave.

import { timestampNanosValue, type DuckDBConnection } from '@duckdb/node-api';
import type { Duck } from '../duck/duck.ts';
import type { Measurement } from '../measurement.ts';
import type { Memtable } from '../memtable/memtable.ts';
import type { SeriesRegistry } from '../series/series-registry.ts';
import { toBigIntNs } from '../../core/time.ts';
import { appendMemtableRows, appendSeriesRows, duckTypeOf } from './chunk-writer.ts';

interface SeriesTableState {
  tagColumns: number;
  rows: number;
  /** Measurement.seriesEpoch the table was built for: released series leave it on a rebuild. */
  epoch: number;
}

export class HotTables {
  private readonly series = new Map<number, SeriesTableState>();
  private readonly tombVersion = new Map<number, number>();
  private readonly memColumns = new WeakMap<Memtable, number>();
  /** Per measurement, bumped on every change to its hot tables (for caches of copies). */
  private readonly versions = new Map<number, number>();

  constructor(
    private readonly duck: Duck,
    private readonly registry: SeriesRegistry,
  ) {}

  memtableTable(m: Measurement, mt: Memtable): string {
    return `hot.m${m.id}_g${mt.gen}`;
  }
  seriesTable(m: Measurement): string {
    return `hot.s${m.id}`;
  }
  tombTable(m: Measurement): string {
    return `hot.x${m.id}`;
  }

  /** Brings the hot copies of a measurement's memtables and tombstones up to date. */
  syncMeasurement(m: Measurement): Promise<void> {
    return this.duck.hot.run(async (c) => {
      // Inside the serial job, so the next change cannot start before the version moves.
      try {
        await this.syncSeries(c, m);
        if (m.immutable) await this.syncMemtable(c, m, m.immutable);
        await this.syncMemtable(c, m, m.active);
        await this.syncTombstones(c, m);
      } finally {
        this.settle(m);
      }
    });
  }

  syncOne(m: Measurement, mt: Memtable): Promise<void> {
    return this.duck.hot.run(async (c) => {
      // Inside the serial job, so the next change cannot start before the version moves.
      try {
        await this.syncSeries(c, m);
        await this.syncMemtable(c, m, mt);
        await this.syncTombstones(c, m);
      } finally {
        this.settle(m);
      }
    });
  }

  /** Brings only the tombstone table of a measurement up to date. */
  syncTombstonesOf(m: Measurement): Promise<void> {
    return this.duck.hot.run(async (c) => {
      // Inside the serial job, so the next change cannot start before the version moves.
      try {
        await this.syncTombstones(c, m);
      } finally {
        this.settle(m);
      }
    });
  }

  /** Changes whenever any hot table of `m` changes: a copy made at one version is valid while it stays. */
  version(m: Measurement): number {
    return this.versions.get(m.id) ?? 0;
  }

  private readonly changing = new Set<number>();

  /** Marks `m` as changing; `settle` bumps its version once the change is complete (never before it is visible). */
  private bump(m: Measurement): void {
    this.changing.add(m.id);
  }

  private settle(m: Measurement): void {
    if (this.changing.delete(m.id)) this.versions.set(m.id, this.version(m) + 1);
  }

  hasTable(mt: Memtable): boolean {
    return this.memColumns.has(mt);
  }

  private async syncSeries(c: DuckDBConnection, m: Measurement): Promise<void> {
    let st = this.series.get(m.id);
    if (!st || st.epoch !== m.seriesEpoch || m.tagKeys.length > st.tagColumns || m.series.length > st.rows) this.bump(m);
    if (!st || st.epoch !== m.seriesEpoch) {
      await c.run(`CREATE OR REPLACE TABLE ${this.seriesTable(m)} (sid INTEGER)`);
      st = { tagColumns: 0, rows: 0, epoch: m.seriesEpoch };
      this.series.set(m.id, st);
    }
    if (m.tagKeys.length > st.tagColumns) {
      // Existing series keep NULL for a tag key that appeared later: they do not have it.
      for (let t = st.tagColumns; t < m.tagKeys.length; t++) await c.run(`ALTER TABLE ${this.seriesTable(m)} ADD COLUMN t${t} VARCHAR`);
      st.tagColumns = m.tagKeys.length;
    }
    if (m.series.length > st.rows) {
      const app = await c.createAppender(`s${m.id}`, null, 'hot');
      const to = m.series.length;
      appendSeriesRows(app, m.series.slice(st.rows, to), st.tagColumns, (sid, o) => this.registry.tagValues[sid]?.[o] ?? null);
      app.flushSync();
      app.closeSync();
      st.rows = to;
    }
  }

  private async syncMemtable(c: DuckDBConnection, m: Measurement, mt: Memtable): Promise<void> {
    const table = this.memtableTable(m, mt);
    let cols = this.memColumns.get(mt);
    if (cols === undefined || m.fields.length > cols || mt.dirty.size > 0 || mt.syncedRows !== mt.rows) this.bump(m);
    if (cols === undefined) {
      const fieldCols = m.fields.map((f) => `, f${f.ordinal} ${duckTypeOf(f.type)}`).join('');
      await c.run(`CREATE OR REPLACE TABLE ${table} (time TIMESTAMP_NS, sid INTEGER, rid INTEGER${fieldCols})`);
      cols = m.fields.length;
      this.memColumns.set(mt, cols);
    }
    if (m.fields.length > cols) {
      for (let f = cols; f < m.fields.length; f++) await c.run(`ALTER TABLE ${table} ADD COLUMN f${f} ${duckTypeOf(m.fields[f].type)}`);
      cols = m.fields.length;
      this.memColumns.set(mt, cols);
    }
    if (mt.dirty.size === 0 && mt.syncedRows === mt.rows) return;
    // Rows merged after their copy was made are deleted and copied again.
    const changed = [...mt.dirty];
    mt.dirty.clear();
    for (let k = 0; k < changed.length; k += 5000) {
      await c.run(`DELETE FROM ${table} WHERE rid IN (${changed.slice(k, k + 5000).join(',')})`);
    }
    const app = await c.createAppender(`m${m.id}_g${mt.gen}`, null, 'hot');
    // From here on nothing awaits: the memtable cannot change under the copy.
    const fields = m.fields.slice(0, cols);
    if (changed.length > 0) appendMemtableRows(app, mt, fields, changed, 0, 0);
    const from = mt.syncedRows;
    const to = mt.rows;
    appendMemtableRows(app, mt, fields, undefined, from, to);
    mt.syncedRows = to;
    app.flushSync();
    app.closeSync();
  }

  private async syncTombstones(c: DuckDBConnection, m: Measurement): Promise<void> {
    if ((this.tombVersion.get(m.id) ?? 0) === m.tombstoneVersion) return;
    this.bump(m);
    const tags = m.tagKeys.map((_, t) => `, t${t} VARCHAR`).join('');
    await c.run(`CREATE OR REPLACE TABLE ${this.tombTable(m)} (gen INTEGER, time TIMESTAMP_NS${tags})`);
    if (m.tombstones.size > 0) {
      const app = await c.createAppender(`x${m.id}`, null, 'hot');
      const gens = new Map<string, number>();
      for (const mt of [m.immutable, m.active]) for (const t of mt?.tombstones ?? []) gens.set(`${t.sid}:${t.sec}:${t.nsec}`, mt!.gen);
      for (const [key, t] of m.tombstones) {
        app.appendInteger(gens.get(key) ?? -1);
        app.appendTimestampNanoseconds(timestampNanosValue(toBigIntNs(t.sec, t.nsec)));
        for (let o = 0; o < m.tagKeys.length; o++) {
          const v = this.registry.tagValues[t.sid]?.[o];
          if (v === null || v === undefined) app.appendNull();
          else app.appendVarchar(v);
        }
        app.endRow();
      }
      app.flushSync();
      app.closeSync();
    }
    this.tombVersion.set(m.id, m.tombstoneVersion);
  }

  dropMemtable(m: Measurement, mt: Memtable): Promise<void> {
    return this.duck.hot.run(async (c) => {
      // Inside the serial job, so the next change cannot start before the version moves.
      try {
        this.bump(m);
        await c.run(`DROP TABLE IF EXISTS ${this.memtableTable(m, mt)}`);
        this.memColumns.delete(mt);
      } finally {
        this.settle(m);
      }
    });
  }

  dropMeasurement(m: Measurement): Promise<void> {
    return this.duck.hot.run(async (c) => {
      // Inside the serial job, so the next change cannot start before the version moves.
      try {
        this.bump(m);
        for (const mt of [m.active, m.immutable]) if (mt) await c.run(`DROP TABLE IF EXISTS ${this.memtableTable(m, mt)}`);
        await c.run(`DROP TABLE IF EXISTS ${this.seriesTable(m)}`);
        await c.run(`DROP TABLE IF EXISTS ${this.tombTable(m)}`);
        this.series.delete(m.id);
        this.tombVersion.delete(m.id);
      } finally {
        this.settle(m);
      }
    });
  }
}
