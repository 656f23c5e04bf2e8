// One WAL record on disk:
//   u32 length of everything after this field (LE)
//   u32 CRC-32 (zlib) of everything after this field
//   u8  kind            (1 = line-protocol write, 2 = delete)
//   u8  precision code  (index into PRECISIONS; 255 = auto)
//   u16 header length   (bytes of `header` JSON below)
//   f64 now, seconds    (the request's clock, so replay stamps untimed points identically)
//   u32 now, nanoseconds
//   header: UTF-8 JSON with the target ({bucket, ...}); small
//   payload: the request body, exactly as parsed
// A torn or corrupt tail fails the length or CRC check and ends replay there.

import { crc32 } from './crc32.ts';
import type { Precision } from '../../core/time.ts';

export const RECORD_WRITE = 1;
export const RECORD_DELETE = 2;

const PRECISIONS: ReadonlyArray<Precision> = ['ns', 'us', 'ms', 's', 'm', 'h'];
export const FIXED_HEADER = 4 + 4 + 1 + 1 + 2 + 8 + 4;

export interface WalRecord {
  kind: number;
  precision: Precision | 'auto';
  nowSec: number;
  nowNsec: number;
  header: Record<string, unknown>;
  payload: Uint8Array;
}

export function encodeRecordHead(r: Omit<WalRecord, 'payload'>, payloadLength: number): Buffer {
  const header = Buffer.from(JSON.stringify(r.header), 'utf8');
  const head = Buffer.allocUnsafe(FIXED_HEADER + header.length);
  head.writeUInt32LE(FIXED_HEADER - 8 + header.length + payloadLength, 0);
  head.writeUInt8(r.kind, 8);
  head.writeUInt8(r.precision === 'auto' ? 255 : PRECISIONS.indexOf(r.precision), 9);
  head.writeUInt16LE(header.length, 10);
  head.writeDoubleLE(r.nowSec, 12);
  head.writeUInt32LE(r.nowNsec, 20);
  header.copy(head, FIXED_HEADER);
  return head;
}

/** Fills in the CRC of a record made of `head` followed by `payload`. */
export function sealRecord(head: Buffer, payload: Uint8Array): void {
  const c = crc32(head, 0, 8, head.length);
  head.writeUInt32LE(crc32(payload, c), 4);
}

/** Decodes the record at `offset`; undefined when the bytes there are not a whole, valid record. */
export function decodeRecord(buf: Buffer, offset: number): { record: WalRecord; next: number } | undefined {
  if (offset + FIXED_HEADER > buf.length) return undefined;
  const length = buf.readUInt32LE(offset);
  const end = offset + 8 + length;
  if (length < FIXED_HEADER - 8 || end > buf.length) return undefined;
  const crc = buf.readUInt32LE(offset + 4);
  if (crc32(buf, 0, offset + 8, end) !== crc) return undefined;
  const headerLength = buf.readUInt16LE(offset + 10);
  const headerStart = offset + FIXED_HEADER;
  if (headerStart + headerLength > end) return undefined;
  const p = buf.readUInt8(offset + 9);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.toString('utf8', headerStart, headerStart + headerLength));
  } catch {
    return undefined;
  }
  return {
    record: {
      kind: buf.readUInt8(offset + 8),
      precision: p === 255 ? 'auto' : (PRECISIONS[p] ?? 'ns'),
      nowSec: buf.readDoubleLE(offset + 12),
      nowNsec: buf.readUInt32LE(offset + 20),
      header,
      payload: buf.subarray(headerStart + headerLength, end),
    },
    next: end,
  };
}
