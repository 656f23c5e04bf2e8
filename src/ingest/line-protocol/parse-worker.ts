// Worker side of the parse pool: parse a body, send the batch's arrays back
// transferred (no copy). The parser is pure, so it can run on any thread.

import { parentPort } from 'node:worker_threads';
import { parseLineProtocol, type ParseOptions } from './parse.ts';
import { batchArrays } from './batch.ts';

interface Job {
  id: number;
  body: Uint8Array;
  options: ParseOptions;
}

parentPort!.on('message', (job: Job) => {
  try {
    const b = parseLineProtocol(job.body, job.options);
    const arrays = batchArrays(b);
    parentPort!.postMessage(
      { id: job.id, n: b.n, lines: b.lines, fieldCount: b.fieldCount, errors: b.errors, big: b.big, arrays },
      // The arrays share one buffer (batch.ts): each buffer is listed once.
      [...new Set(Object.values(arrays).map((a) => a.buffer as ArrayBuffer))],
    );
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: String((e as Error)?.stack ?? e) });
  }
});
