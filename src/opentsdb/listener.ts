// The OpenTSDB port (HOOKLINE_OPENTSDB_PORT, 4242): HTTP and telnet on one
// socket, the first byte deciding, as OpenTSDB's DetectHttpOrRpc does ("all
// HTTP commands start with a capital letter": 'A'-'Z' -> HTTP, else telnet).
// With TLS on, a connection opening with a TLS handshake (0x16) is decrypted
// and the same rule applies to its first decrypted byte; plain telnet stays
// available (collectd and tcollector cannot speak TLS) and so is plain HTTP,
// unless HOOKLINE_TLS_PLAIN_HTTP=false: then it gets a 400, as on the main
// port (http/dual-protocol-server.ts). HTTP requests go to the main
// app's routes (same handlers, same errors), restricted to OpenTSDB's /api/.

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import type { TlsMaterial } from '../tls/tls-material.ts';
import { PLAIN_HTTP_REFUSED } from '../tls/dual-protocol-server.ts';
import { handleTelnet, type TelnetDeps } from './telnet-session.ts';

export interface ListenerOptions extends TelnetDeps {
  tls?: TlsMaterial;
  /** With TLS on, whether plain HTTP is served too (HOOKLINE_TLS_PLAIN_HTTP). */
  plainHttp?: boolean;
  /** The main app's request handler (fastify's `routing`). */
  route: (req: IncomingMessage, res: ServerResponse) => void;
}

const TLS_HANDSHAKE = 0x16;
/** A connection that sends nothing is dropped after this (VictoriaMetrics waits 5 s for the first byte). */
const FIRST_BYTE_TIMEOUT_MS = 30_000;
const isHttpByte = (b: number) => b >= 0x41 && b <= 0x5a;

/** Paths served on this port: OpenTSDB's API, not InfluxDB's. */
export function isOpenTsdbPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path.startsWith('/api/') && !path.startsWith('/api/v2/') && !path.startsWith('/api/v3/');
}

export class OpenTsdbListener {
  private readonly server: net.Server;
  private readonly http: http.Server;
  private readonly tlsServer?: tls.Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly opts: ListenerOptions) {
    this.http = http.createServer((req, res) => {
      if (isOpenTsdbPath(req.url)) return opts.route(req, res);
      const body = JSON.stringify({ error: { code: 404, message: 'Endpoint not found', details: 'The requested endpoint was not found' } });
      res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    });
    if (opts.tls) {
      this.tlsServer = tls.createServer({ key: opts.tls.key, cert: opts.tls.cert }, (clear) => this.demux(clear, true));
      this.tlsServer.on('tlsClientError', (_e, socket) => socket.destroy());
    }
    this.server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      this.demux(socket, false);
    });
  }

  /** Reads the first byte, puts it back, and hands the connection to TLS, HTTP or telnet. */
  private demux(socket: Socket, decrypted: boolean): void {
    const idle = setTimeout(() => socket.destroy(), FIRST_BYTE_TIMEOUT_MS);
    socket.once('close', () => clearTimeout(idle));
    socket.once('data', (first: Buffer) => {
      clearTimeout(idle);
      socket.pause();
      socket.unshift(first);
      const b = first[0];
      if (!decrypted && b === TLS_HANDSHAKE && this.tlsServer) {
        this.tlsServer.emit('connection', socket);
      } else if (isHttpByte(b)) {
        if (this.tlsServer && !decrypted && this.opts.plainHttp === false) {
          socket.end(PLAIN_HTTP_REFUSED);
          return;
        }
        this.http.emit('connection', socket);
        socket.resume();
      } else {
        socket.resume();
        handleTelnet(socket, this.opts);
      }
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.http.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
