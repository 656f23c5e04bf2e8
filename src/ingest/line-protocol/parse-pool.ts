// Parses request bodies on worker threads so the event loop only plans and
// applies writes. Small bodies are parsed inline: the round trip to a worker
// costs more than parsing a few lines. Results are identical either way (the
// parser is pure); only where the CPU time is spent changes.

import { Worker } from 'node:worker_threads';
import type { LineBatch } from './batch.ts';
import { batchFromArrays, type BatchArrays } from './batch.ts';
import { parseLineProtocol, type ParseOptions } from './parse.ts';

interface Pending {
  body: Buffer;
  resolve: (b: LineBatch) => void;
  reject: (e: Error) => void;
}

interface Reply {
  id: number;
  error?: string;
  n: number;
  lines: number;
  fieldCount: number;
  errors: LineBatch['errors'];
  big: Map<number, bigint>;
  arrays: BatchArrays;
}

export interface Parser {
  parse(body: Buffer, options: ParseOptions): Promise<LineBatch>;
  close(): Promise<void>;
}

/** The parser on the calling thread (tests, replay, and machines with one core). */
export const inlineParser: Parser = {
  parse: async (body, options) => parseLineProtocol(body, options),
  close: async () => undefined,
};

export class ParsePool implements Parser {
  private readonly workers: Worker[] = [];
  private readonly inflight: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    size: number,
    /** Bodies smaller than this are parsed inline. */
    private readonly inlineBelow = 64 * 1024,
  ) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./parse-worker-entry.mjs', import.meta.url));
      w.unref();
      w.on('message', (r: Reply) => this.onReply(i, r));
      w.on('error', (e) => this.failAll(e));
      this.workers.push(w);
      this.inflight.push(0);
    }
  }

  parse(body: Buffer, options: ParseOptions): Promise<LineBatch> {
    if (this.closed || this.workers.length === 0 || body.length < this.inlineBelow) {
      return Promise.resolve(parseLineProtocol(body, options));
    }
    // the least busy worker
    let w = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.inflight[i] < this.inflight[w]) w = i;
    const id = this.nextId++;
    this.inflight[w]++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { body, resolve, reject });
      this.workers[w].postMessage({ id, body, options });
    });
  }

  private onReply(worker: number, r: Reply): void {
    this.inflight[worker]--;
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (r.error) return p.reject(new Error(`parse worker failed: ${r.error}`));
    p.resolve(batchFromArrays(p.body, r.arrays, r.n, r.lines, r.fieldCount, r.errors, r.big));
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
