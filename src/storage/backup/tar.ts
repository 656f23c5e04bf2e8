// A minimal POSIX ustar writer and reader for the backup stream (GET
// /api/hookline/backup answers application/x-tar, so `curl ... | tar x`
// works too). Only regular files: a 512-byte header, the bytes, zero padding
// to 512, two zero blocks at the end (POSIX.1-1988 ustar, pax(1) "ustar
// Interchange Format"; GNU tar's manual, "Basic Tar Format").

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** Splits a path into ustar's name (100 bytes) and prefix (155 bytes) at a slash. */
function splitName(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(name) <= 100 && Buffer.byteLength(prefix) <= 155) return { name, prefix };
  }
  throw new Error(`path too long for a ustar archive: ${path}`);
}

/** The header block of a regular file. */
export function tarHeader(path: string, size: number, mtimeSec = Math.floor(Date.now() / 1000)): Buffer {
  const h = Buffer.alloc(BLOCK);
  const { name, prefix } = splitName(path);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o600, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtimeSec, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum is computed with its own field as spaces
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

/** Zero bytes after a file of `size` bytes, up to the next block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The end-of-archive marker: two zero blocks. */
export function tarEnd(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}

export type TarEvent = { type: 'file'; path: string; size: number } | { type: 'data'; chunk: Buffer } | { type: 'end-file' };

function field(h: Buffer, start: number, len: number): string {
  const s = h.subarray(start, start + len);
  const nul = s.indexOf(0);
  return s.subarray(0, nul < 0 ? len : nul).toString('utf8');
}

function parseHeader(h: Buffer): { path: string; size: number; type: string } {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  const stored = parseInt(field(h, 148, 8).trim(), 8);
  if (stored !== sum) throw new Error('not a tar archive (bad header checksum)');
  const prefix = field(h, 345, 155);
  const name = field(h, 0, 100);
  return { path: prefix ? `${prefix}/${name}` : name, size: parseInt(field(h, 124, 12).trim() || '0', 8), type: field(h, 156, 1) || '0' };
}

/** Reads an archive from chunks: each regular file as `file`, its `data` chunks, then `end-file`. */
export async function* readTar(source: AsyncIterable<Uint8Array>): AsyncGenerator<TarEvent> {
  let buf = Buffer.alloc(0);
  let remaining = 0; // bytes of the current file still to come
  let skip = 0; // padding (or an ignored entry) still to drop
  let inFile = false;
  for await (const c of source) {
    buf = buf.length === 0 ? Buffer.from(c) : Buffer.concat([buf, c]);
    for (;;) {
      if (remaining > 0) {
        if (buf.length === 0) break;
        const n = Math.min(remaining, buf.length);
        yield { type: 'data', chunk: buf.subarray(0, n) };
        buf = buf.subarray(n);
        remaining -= n;
        if (remaining > 0) break;
      }
      if (inFile) {
        inFile = false;
        yield { type: 'end-file' };
      }
      if (skip > 0) {
        const n = Math.min(skip, buf.length);
        buf = buf.subarray(n);
        skip -= n;
        if (skip > 0) break;
      }
      if (buf.length < BLOCK) break;
      const h = buf.subarray(0, BLOCK);
      buf = buf.subarray(BLOCK);
      if (h.every((b) => b === 0)) return;
      const { path, size, type } = parseHeader(h);
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (type !== '0') {
        skip = size + pad;
        continue;
      }
      yield { type: 'file', path, size };
      inFile = true;
      remaining = size;
      skip = pad;
      if (size === 0) continue;
    }
  }
  if (remaining > 0 || inFile) throw new Error('the archive ends in the middle of a file');
  throw new Error('the archive ends without its end marker');
}
