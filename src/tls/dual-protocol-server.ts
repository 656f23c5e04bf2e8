// HTTP and HTTPS on one port (HOOKLINE_TLS with HOOKLINE_TLS_PLAIN_HTTP=true):
// the first byte of a connection decides, as on the OpenTSDB port
// (opentsdb/listener.ts). A TLS record starts with content type 22, the
// handshake (RFC 8446 §5.1, RFC 5246 §6.2.1); an HTTP/1.x request starts with
// a method token, letters. So http://host:8086 (the Particle seed's webhook
// pointed at this hub) and https://host:8086 (the ESP8266 seed) both work
// without a second port to configure. HTTPS-only (HOOKLINE_TLS_PLAIN_HTTP=false)
// answers plain HTTP with a 400 that says why, as nginx does ("The plain HTTP
// request was sent to HTTPS port"), rather than an empty reply.
//
// fastify listens on the returned http.Server; its own 'connection' listener
// is moved behind the sniff, and TLS connections go to an https.Server that
// shares the same request handler and timeouts.

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TlsMaterial } from './tls-material.ts';

const TLS_HANDSHAKE = 0x16;
/** A connection that sends nothing is dropped after this (as the OpenTSDB port does). */
const FIRST_BYTE_TIMEOUT_MS = 30_000;

export const PLAIN_HTTP_REFUSED =
  'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nThe plain HTTP request was sent to an HTTPS port (HOOKLINE_TLS_PLAIN_HTTP=false): use https://\n';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface FactoryOptions {
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

/** A fastify serverFactory serving HTTPS, and plain HTTP unless `plainHttp` is false, on each port it listens on. */
export function dualProtocolServerFactory(tls: TlsMaterial, plainHttp: boolean) {
  return (handler: Handler, opts: FactoryOptions): http.Server => {
    const plain = http.createServer(handler);
    const secure = https.createServer({ key: tls.key, cert: tls.cert }, handler);
    // A client that fails the handshake (wrong protocol, no shared cipher) is just dropped.
    secure.on('tlsClientError', (_e, socket) => socket.destroy());
    for (const s of [plain, secure]) {
      if (opts.keepAliveTimeout !== undefined) s.keepAliveTimeout = opts.keepAliveTimeout;
      if (opts.requestTimeout !== undefined) s.requestTimeout = opts.requestTimeout;
      if (opts.connectionTimeout) s.setTimeout(opts.connectionTimeout);
      if (opts.maxRequestsPerSocket) s.maxRequestsPerSocket = opts.maxRequestsPerSocket;
    }
    // The https.Server never listens itself: start its connection tracking
    // (requestTimeout/headersTimeout checks, closeIdleConnections) by hand.
    secure.emit('listening');
    const httpConnection = plain.listeners('connection') as Array<(socket: Socket) => void>;
    plain.removeAllListeners('connection');
    const waiting = new Set<Socket>();

    plain.on('connection', (socket: Socket) => {
      waiting.add(socket);
      const idle = setTimeout(() => socket.destroy(), FIRST_BYTE_TIMEOUT_MS);
      const done = () => {
        clearTimeout(idle);
        waiting.delete(socket);
      };
      socket.once('close', done);
      socket.on('error', () => socket.destroy());
      socket.once('data', (first: Buffer) => {
        done();
        socket.off('close', done);
        socket.pause();
        socket.unshift(first);
        if (first[0] === TLS_HANDSHAKE) {
          secure.emit('connection', socket);
        } else if (plainHttp) {
          for (const l of httpConnection) l.call(plain, socket);
          socket.resume();
        } else {
          // Read and drop the rest so the client's FIN is seen and the socket closes.
          socket.end(PLAIN_HTTP_REFUSED);
          socket.on('data', () => undefined).resume();
        }
      });
    });

    // fastify closes the server it listens on; the TLS side and sockets still
    // waiting for their first byte close with it.
    const close = plain.close.bind(plain);
    plain.close = (cb?: (err?: Error) => void) => {
      for (const s of waiting) s.destroy();
      // Stops the tracking timer and closes idle TLS connections (http.Server close()).
      secure.close(() => undefined);
      return close(cb);
    };
    const closeAll = plain.closeAllConnections.bind(plain);
    plain.closeAllConnections = () => {
      closeAll();
      secure.closeAllConnections();
    };
    const closeIdle = plain.closeIdleConnections.bind(plain);
    plain.closeIdleConnections = () => {
      closeIdle();
      secure.closeIdleConnections();
    };
    return plain;
  };
}
