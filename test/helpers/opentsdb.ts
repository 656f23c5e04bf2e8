// Helpers for the OpenTSDB tests: raw requests written byte for byte over TCP
// or TLS (as the ESP8266 sends them), a telnet client, and Basic auth.

import net from 'node:net';
import tls from 'node:tls';

export function basic(token: string, user = 'DESC', scheme = 'Basic'): string {
  return `${scheme} ${Buffer.from(`${user}:${token}`).toString('base64')}`;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  raw: string;
}

/** Writes `request` verbatim and reads until the server closes (send Connection: close). */
export function rawRequest(port: number, request: string | Buffer, opts: { tls?: tls.ConnectionOptions } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onConnect = () => socket.write(request);
    const socket = opts.tls ? tls.connect({ host: '127.0.0.1', port, ...opts.tls }, onConnect) : net.connect({ host: '127.0.0.1', port }, onConnect);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = raw.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      let body = rest.join('\r\n\r\n');
      if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
      resolve({ status: Number(lines[0].split(' ')[1]), headers, body, raw });
    });
  });
}

function dechunk(s: string): string {
  let out = '';
  let rest = s;
  for (;;) {
    const nl = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, nl), 16);
    if (!size) return out;
    out += rest.slice(nl + 2, nl + 2 + size);
    rest = rest.slice(nl + 2 + size + 2);
  }
}

/** A telnet connection: send lines, read what comes back. */
export class Telnet {
  private buf = '';
  private waiters: Array<() => void> = [];
  closed = false;
  private constructor(readonly socket: net.Socket | tls.TLSSocket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number, opts: { tls?: tls.ConnectionOptions } = {}): Promise<Telnet> {
    return new Promise((resolve, reject) => {
      const s = opts.tls ? tls.connect({ host: '127.0.0.1', port, ...opts.tls }) : net.connect({ host: '127.0.0.1', port });
      s.once(opts.tls ? 'secureConnect' : 'connect', () => resolve(new Telnet(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Waits until `n` complete lines arrived (or the connection closed, or ms passed), returns and clears them. */
  async lines(n: number, ms = 3000): Promise<string[]> {
    const deadline = Date.now() + ms;
    while (this.buf.split('\n').length - 1 < n && !this.closed && Date.now() < deadline) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    const parts = this.buf.split('\n');
    const got = parts.slice(0, Math.min(n, parts.length - 1));
    this.buf = parts.slice(got.length).join('\n');
    return got;
  }

  /** Everything received so far after waiting `ms` (for "nothing comes back" checks). */
  async quiet(ms = 300): Promise<string> {
    await new Promise((r) => setTimeout(r, ms));
    const b = this.buf;
    this.buf = '';
    return b;
  }

  /** Resolves when the server closed the connection. */
  async waitClosed(ms = 3000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
