// A byte-stream guard in front of aedes: aedes and mqtt-packet buffer a packet
// until its announced length has arrived, whatever that length (up to 256 MB,
// [MQTT-2.2.3]), and they do it before CONNECT is authenticated (issue 10,
// finding 6: three strangers announcing 256 MB took RSS from 216 to 958 MB).
// Here every packet's fixed header is read as it streams past: one type byte,
// then the Remaining Length varint of 1-4 bytes ([MQTT-2.2.3]); a packet
// announcing more than the current limit closes the connection at once.
// MQTT 3.1.1 has no error packet for this (MQTT 5 would send DISCONNECT 0x95
// Packet too large); closing is what [MQTT-4.8.0-1] asks of a server that
// meets a packet it will not process. The limit is small until CONNECT is
// authenticated (a CONNECT holds a client id, a user name and a token), and
// HOOKLINE_MQTT_MAX_PACKET_BYTES after (authenticate()).

import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/** Largest packet before CONNECT is authenticated: a CONNECT with a long client id, user name and token fits. */
export const PRE_CONNECT_MAX_PACKET_BYTES = 8 * 1024;

/** Scans MQTT fixed headers across chunk boundaries; answers false on a packet over the limit or a malformed length. */
export class FixedHeaderScanner {
  /** Bytes of the current packet's body still to skip. */
  private skip = 0;
  /** -1: expecting a type byte; 0..3: reading the length varint, this many bytes read. */
  private lengthBytes = -1;
  private length = 0;
  private multiplier = 1;

  constructor(public limit: number) {}

  /** Feeds a chunk; false when the stream must be closed. */
  feed(chunk: Buffer): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      const b = chunk[i++];
      if (this.lengthBytes < 0) {
        this.lengthBytes = 0;
        this.length = 0;
        this.multiplier = 1;
        continue;
      }
      this.length += (b & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (b & 0x80) {
        // [MQTT-2.2.3]: at most four bytes of Remaining Length.
        if (this.lengthBytes >= 4) return false;
        continue;
      }
      if (this.length > this.limit) return false;
      this.skip = this.length;
      this.lengthBytes = -1;
    }
    return true;
  }
}

/** The socket as aedes sees it, with the guard in between; `authenticated()` raises the limit. */
export class GuardedConnection extends Duplex {
  private readonly scanner = new FixedHeaderScanner(PRE_CONNECT_MAX_PACKET_BYTES);
  /** aedes and the broker read the peer's address from the connection. */
  readonly remoteAddress: string | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly maxPacketBytes: number,
    private readonly onTooLarge: (limit: number) => void,
  ) {
    super({ allowHalfOpen: false });
    this.remoteAddress = socket.remoteAddress;
    socket.on('data', (chunk: Buffer) => {
      if (!this.scanner.feed(chunk)) {
        this.onTooLarge(this.scanner.limit);
        socket.destroy();
        this.destroy();
        return;
      }
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (e) => this.destroy(e));
    socket.on('close', () => this.destroy());
  }

  /** CONNECT was accepted: the configured limit applies from now on. */
  authenticated(): void {
    this.scanner.limit = this.maxPacketBytes;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.socket.destroyed) return cb();
    this.socket.write(chunk, (e) => cb(e ?? null));
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.socket.end(() => cb());
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }
}
