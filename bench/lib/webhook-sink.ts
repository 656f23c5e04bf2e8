// The loopback sink webhooks deliver to in bench/webhooks.ts: a minimal
// HTTP/1.1 responder on a raw TCP socket (keep-alive, 204 at once), so the
// sink costs little of the two cores it shares with hookline. It records, per
// delivery, the latency from the publisher's clock stamp in the body
// ({"t": ms since epoch}) to its arrival.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Sink {
  url: string;
  count: number;
  latencies: number[];
  /** Resolves once `n` deliveries arrived (counting from the last reset), or rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

const RESPONSE = Buffer.from('HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n');

export async function startSink(): Promise<Sink> {
  let target = Infinity;
  let done: (() => void) | undefined;
  const sockets = new Set<net.Socket>();
  const arrived = (body: string) => {
    const m = /"t":(\d+)/.exec(body);
    if (m) sink.latencies.push(Date.now() - Number(m[1]));
    sink.count++;
    if (sink.count >= target && done) {
      const d = done;
      done = undefined;
      d();
    }
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      let replies = 0;
      for (;;) {
        const head = buf.indexOf('\r\n\r\n');
        if (head < 0) break;
        const m = /\r\ncontent-length:\s*(\d+)/i.exec(buf.slice(0, head));
        const length = m ? Number(m[1]) : 0;
        if (buf.length < head + 4 + length) break;
        arrived(buf.slice(head + 4, head + 4 + length));
        buf = buf.slice(head + 4 + length);
        replies++;
      }
      if (replies === 1) socket.write(RESPONSE);
      else if (replies > 1) socket.write(Buffer.concat(Array(replies).fill(RESPONSE)));
    });
  });
  const sink: Sink = {
    url: '',
    count: 0,
    latencies: [],
    waitFor(n, timeoutMs) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`only ${sink.count} of ${n} deliveries within ${timeoutMs} ms`)), timeoutMs);
        target = n;
        done = () => {
          clearTimeout(t);
          resolve();
        };
        if (sink.count >= target) done();
      });
    },
    reset() {
      sink.count = 0;
      sink.latencies = [];
      target = Infinity;
    },
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sink;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
