// Messages between the main process and a SQL sandbox process (IPC with
// Node's "advanced" serialization: structured clone, so bigint cells and
// nested lists cross as they are).

import type { Cell } from '../result-values.ts';
import type { ResultFormat } from '../format-results.ts';

export interface SandboxView {
  name: string;
  sql: string;
}

export interface QueryMessage {
  type: 'query';
  id: number;
  sql: string;
  params: Record<string, unknown>;
  /** Temporary views created before the statement and dropped after it. */
  views: SandboxView[];
  maxRows: number;
  /**
   * Approximate size of the cells (UTF-16 string length x2, 8 per number),
   * plus, when `format` is given, the length of the answer in that format.
   */
  maxBytes: number;
  /** The format the answer will be encoded in (format-results.ts), counted against maxBytes. */
  format?: ResultFormat;
  /**
   * Skip the SELECT-only check, so that tests can show what the locked-down
   * engine itself refuses (COPY, ATTACH, SET...). Never set from a request.
   */
  anyStatement?: boolean;
}

export interface InterruptMessage {
  type: 'interrupt';
}

export type ToSandbox = QueryMessage | InterruptMessage;

export type SandboxErrorKind = 'query' | 'not_allowed' | 'interrupted' | 'too_large';

export type FromSandbox =
  | { type: 'ready' }
  | { type: 'init_failed'; message: string }
  /** Part of the result, sent as DuckDB hands out chunks: the main process deserialises it in small pieces. */
  | { type: 'rows'; id: number; rows: Cell[][] }
  /** The end of a result; `rows` are the ones not sent in 'rows' messages. */
  | { type: 'result'; id: number; columns: string[]; rows: Cell[][] }
  | { type: 'error'; id: number; kind: SandboxErrorKind; message: string };

/** Start-up settings, passed in the environment of the child. */
export interface SandboxInit {
  /** The only directory the engine may read (snapshots are written below it). */
  dir: string;
  /** DuckDB memory_limit, e.g. "128MB". */
  memoryLimit: string;
}

export const INIT_ENV = 'HOOKLINE_SANDBOX_INIT';

/**
 * Error texts are bounded: DuckDB quotes the offending value, so
 * `CAST(repeat('x', 20000000) AS DOUBLE)` made a 20 MB message. Cut to
 * MAX_ERROR_CHARS (UTF-16 units, never splitting a surrogate pair) with a marker.
 */
export const MAX_ERROR_CHARS = 1024;
export const TRUNCATED_MARK = '… (truncated)';

export function truncateError(message: string, max = MAX_ERROR_CHARS): string {
  if (message.length <= max) return message;
  let end = max;
  const c = message.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return message.slice(0, end) + TRUNCATED_MARK;
}
