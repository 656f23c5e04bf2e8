// The timed part of the benchmark: N writers POST pre-built bodies taken in
// order from one shared queue, each over its own keep-alive connection. Only
// this phase is timed, so points/s measures ingest and nothing else (dataset
// generation happened before, flush and verification happen after).
import http from 'node:http';
import { clip, expectStatus, httpRequest } from './http-client.ts';

export interface WriteLoadOptions {
  readonly port: number;
  /** Write path with query string, e.g. `/write?db=bench&precision=s`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly batches: readonly Buffer[];
  readonly writers: number;
  /** Called before a writer sends; returns false when the server died, to stop early. */
  readonly isAlive: () => boolean;
}

export interface WriteLoadResult {
  /** Wall time from the first request sent to the last response received. */
  readonly elapsedMs: number;
  readonly requests: number;
  /**
   * CPU seconds this (client) process used during the write phase: the load
   * generator shares the cores with the server, so a rate is only meaningful
   * next to what the client took.
   */
  readonly clientCpuSeconds: number;
  /** Requests answered 503 and sent again after their Retry-After (hookline's write buffer was full). */
  readonly retries: number;
}

/** 503s tolerated per batch before the run fails: a store that never drains is a failure, not a rate. */
const MAX_RETRIES_PER_BATCH = 50;

export async function runWriteLoad(options: WriteLoadOptions): Promise<WriteLoadResult> {
  // One socket per writer: the writers model independent clients, and
  // keep-alive keeps connection setup out of the measurement.
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.writers });
  const headers = { 'Content-Type': 'text/plain; charset=utf-8', ...options.headers };
  let next = 0;
  let requests = 0;
  let retries = 0;
  let failure: Error | undefined;

  const post = (index: number) =>
    httpRequest({ port: options.port, method: 'POST', path: options.path, headers, body: options.batches[index], agent });

  const writer = async (): Promise<void> => {
    // The shared index hands out batches in dataset order; with 2 writers two
    // consecutive batches are in flight at once, as with real parallel clients.
    while (failure === undefined && next < options.batches.length) {
      if (!options.isAlive()) throw new Error('server process exited during the write phase');
      const index = next++;
      let res = await post(index);
      // 503 + Retry-After is back-pressure (InfluxDB's and hookline's "write
      // buffer full"): a client such as Telegraf waits and sends the batch
      // again, and the wait counts in the rate. At 100 k series hookline's
      // buffer fills during the scale runs.
      for (let attempt = 0; res.status === 503 && attempt < MAX_RETRIES_PER_BATCH; attempt++) {
        const after = Number(res.headers['retry-after']);
        await new Promise((r) => setTimeout(r, Number.isFinite(after) && after > 0 ? Math.min(after, 5) * 1000 : 100));
        retries++;
        res = await post(index);
      }
      // Any other non-2xx aborts the run: a benchmark that silently drops
      // batches would report a rate for work that was never done.
      expectStatus(res, '2xx', `write of batch ${index + 1}/${options.batches.length}`);
      requests++;
    }
  };

  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const outcomes = await Promise.allSettled(
    Array.from({ length: options.writers }, () =>
      writer().catch((err: unknown) => {
        // Stop the other writers at their next batch, keep the first cause.
        failure ??= err instanceof Error ? err : new Error(clip(String(err)));
        throw failure;
      }),
    ),
  );
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();

  if (outcomes.some((o) => o.status === 'rejected') && failure !== undefined) throw failure;
  return { elapsedMs, requests, clientCpuSeconds: (cpu.user + cpu.system) / 1e6, retries };
}
