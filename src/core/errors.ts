// The catalogue of errors hookline answers with. Each has a stable code, an
// HTTP status and the InfluxDB 2 error class it maps to; the HTTP layer renders
// it in the caller's dialect (InfluxDB 1/2/3, Particle, OpenTSDB). docs/errors.md
// is checked against this table by a test.

/** InfluxDB 2 error classes (kit/transport/http/error_handler.go) and their statuses. */
export const V2_CODE_STATUS = {
  'internal error': 500,
  'not implemented': 501,
  invalid: 400,
  'empty value': 400,
  'unprocessable entity': 422,
  conflict: 422,
  'not found': 404,
  unavailable: 503,
  forbidden: 403,
  'too many requests': 429,
  unauthorized: 401,
  'method not allowed': 405,
  'request too large': 413,
} as const;

export type V2Code = keyof typeof V2_CODE_STATUS;

export interface ErrorDef {
  code: string;
  status: number;
  v2: V2Code;
  /** Default message; specific errors pass their own. */
  message: string;
  /** What the user can do about it (docs/errors.md). */
  hint: string;
}

function def(code: string, v2: V2Code, message: string, hint: string, status: number = V2_CODE_STATUS[v2]): ErrorDef {
  return { code, status, v2, message, hint };
}

export const ERRORS = {
  UNAUTHORIZED: def('HL_UNAUTHORIZED', 'unauthorized', 'unauthorized access', 'Send a token: `Authorization: Token <token>` (or Bearer, Basic with the token as password, or `p=<token>` on 1.x endpoints).'),
  FORBIDDEN: def('HL_FORBIDDEN', 'forbidden', 'insufficient permissions', 'Use a token whose permissions cover this bucket or resource.'),
  BAD_REQUEST: def('HL_BAD_REQUEST', 'invalid', 'invalid request', 'Fix the parameter the message names.'),
  NOT_FOUND: def('HL_NOT_FOUND', 'not found', 'not found', 'Check the name or ID; list what exists with the matching GET endpoint.'),
  BUCKET_NOT_FOUND: def('HL_BUCKET_NOT_FOUND', 'not found', 'bucket not found', 'Create the bucket first (POST /api/v2/buckets or CREATE DATABASE), or check its name and org.'),
  ORG_NOT_FOUND: def('HL_ORG_NOT_FOUND', 'not found', 'organization not found', 'Check the org name or ID (GET /api/v2/orgs).'),
  CONFLICT: def('HL_CONFLICT', 'conflict', 'already exists', 'Pick another name, or update the existing resource.'),
  LINE_PROTOCOL: def('HL_LINE_PROTOCOL', 'invalid', 'unable to parse line protocol', 'Fix the line the error quotes; see docs/line-protocol.md for the grammar.'),
  PARTIAL_WRITE: def('HL_PARTIAL_WRITE', 'unprocessable entity', 'partial write', 'Some points were refused (type conflict, `time` field, retention); the rest were written.'),
  PARTIAL_WRITE_V1: def('HL_PARTIAL_WRITE_V1', 'invalid', 'partial write', 'As HL_PARTIAL_WRITE, answered with 400 as InfluxDB 1.x does on /write.'),
  BODY_TOO_LARGE: def('HL_BODY_TOO_LARGE', 'request too large', 'request body too large', 'Split the batch, or raise HOOKLINE_MAX_BODY_BYTES / HOOKLINE_MAX_DECOMPRESSED_BYTES.'),
  JSON_TOO_DEEP: def('HL_JSON_TOO_DEEP', 'invalid', 'JSON nested too deeply', 'Flatten the document (real payloads nest a handful of levels), or raise HOOKLINE_MAX_JSON_DEPTH.'),
  UNSUPPORTED_ENCODING: def('HL_UNSUPPORTED_ENCODING', 'invalid', 'unsupported content encoding', 'Send the body uncompressed or with Content-Encoding: gzip.'),
  OVERLOADED: def('HL_OVERLOADED', 'unavailable', 'write buffer full, retry later', 'Retry after the Retry-After delay; if it persists, raise HOOKLINE_MAX_BUFFERED_POINTS or write less.'),
  WEBHOOK_QUEUE_FULL: def('HL_WEBHOOK_QUEUE_FULL', 'too many requests', 'webhook queue full, retry later', 'Retry after the Retry-After delay; raise HOOKLINE_WEBHOOK_QUEUE_LIMIT or fix the slow webhook targets (GET /api/hookline/webhooks/status shows the depth).'),
  CLUSTER_UNAVAILABLE: def('HL_CLUSTER_UNAVAILABLE', 'unavailable', "the cluster's write log did not take the write, retry later", 'Several nodes (HOOKLINE_NATS_URL): NATS JetStream refused or did not answer (a server down, no quorum for the replicas, or the write log at HOOKLINE_NATS_WRITE_LOG_MAX_BYTES). Retry after the Retry-After delay; check the NATS servers.'),
  NOT_CAUGHT_UP: def('HL_NOT_CAUGHT_UP', 'unavailable', 'this node has not yet applied the write it was asked to wait for', 'The position passed in X-Hookline-Min-Position is not applied here yet (the node is catching up): retry, or read through the node that took the write. HOOKLINE_READ_YOUR_WRITES_TIMEOUT is how long a read waits.'),
  WAL_FAILED: def('HL_WAL_FAILED', 'internal error', 'write-ahead log unavailable', 'The disk refused a write or fsync; check free space and the disk, then restart hookline.'),
  QUERY: def('HL_QUERY', 'invalid', 'query failed', 'Fix the query the message points at.'),
  QUERY_NOT_ALLOWED: def('HL_QUERY_NOT_ALLOWED', 'invalid', 'only read-only SELECT queries over the bucket are allowed', 'Query the bucket\'s measurements with SELECT; files, settings and other databases are out of reach.'),
  QUERY_MEMORY: def('HL_QUERY_MEMORY', 'invalid', 'query exceeded its memory limit', 'Aggregate, narrow the time range or add a LIMIT; or raise HOOKLINE_QUERY_MEMORY_LIMIT if the machine has room.'),
  QUERY_TIMEOUT: def('HL_QUERY_TIMEOUT', 'unavailable', 'query timed out', 'Narrow the time range, or raise HOOKLINE_QUERY_TIMEOUT.'),
  QUERY_LIMIT: def('HL_QUERY_LIMIT', 'request too large', 'the query would read more than its budget', 'Narrow the time range, filter on more tags or use a larger interval; or raise HOOKLINE_MAX_SELECT_POINT / HOOKLINE_MAX_SELECT_SERIES / HOOKLINE_MAX_SELECT_BUCKETS.'),
  TOO_MANY_QUERIES: def('HL_TOO_MANY_QUERIES', 'unavailable', 'too many queries running, retry later', 'Retry after the Retry-After delay; raise HOOKLINE_MAX_CONCURRENT_QUERIES / HOOKLINE_MAX_QUEUED_QUERIES if the machine has room.'),
  DASHBOARD_INVALID: def('HL_DASHBOARD_INVALID', 'invalid', 'invalid dashboard', 'Fix the field the message names (docs/dashboards.md describes the document).'),
  DASHBOARD_TOO_LARGE: def('HL_DASHBOARD_TOO_LARGE', 'request too large', 'dashboard too large', 'Split the dashboard in two, or raise HOOKLINE_MAX_DASHBOARD_BYTES.'),
  DASHBOARD_LIMIT: def('HL_DASHBOARD_LIMIT', 'unprocessable entity', 'too many dashboards in this org', 'Delete dashboards no one opens, or raise HOOKLINE_MAX_DASHBOARDS_PER_ORG.'),
  METHOD_NOT_ALLOWED: def('HL_METHOD_NOT_ALLOWED', 'method not allowed', 'method not allowed', 'Use the method the API documents for this path.'),
  BACKUP_RUNNING: def('HL_BACKUP_RUNNING', 'unavailable', 'a backup is already running', 'Wait for the running backup to finish (one at a time: each holds a snapshot of the data), then retry.'),
  REPLICATION_QUEUE_LIMIT: def('HL_REPLICATION_QUEUE_LIMIT', 'invalid', 'maxQueueSizeBytes out of range', 'Ask for a queue between InfluxDB\'s minimum (33554430 bytes) and HOOKLINE_REPLICATION_MAX_QUEUE_BYTES, or raise that setting.'),
  INTERNAL: def('HL_INTERNAL', 'internal error', 'An internal error has occurred - check server logs', 'A bug or an environment problem; the server log has details.'),
} as const satisfies Record<string, ErrorDef>;

export type ErrorName = keyof typeof ERRORS;

export class HooklineError extends Error {
  readonly def: ErrorDef;
  /** 1-based line of the request body the error is about, when there is one. */
  line?: number;
  /** Seconds to wait before retrying (429/503). */
  retryAfter?: number;
  /** Dialect-specific payload (e.g. InfluxDB 3's per-line errors). */
  data?: unknown;

  constructor(def: ErrorDef, message?: string, extra?: { line?: number; retryAfter?: number; data?: unknown; cause?: unknown }) {
    super(message ?? def.message, extra?.cause !== undefined ? { cause: extra.cause } : undefined);
    this.def = def;
    this.line = extra?.line;
    this.retryAfter = extra?.retryAfter;
    this.data = extra?.data;
  }

  get status(): number {
    return this.def.status;
  }
}

export function hooklineError(name: ErrorName, message?: string, extra?: ConstructorParameters<typeof HooklineError>[2]): HooklineError {
  return new HooklineError(ERRORS[name], message, extra);
}

/**
 * A query the caller can fix, or one over its budget: InfluxQL statement
 * errors (reported in the statement's result) and OpenTSDB query errors
 * (OpenTSDB's BadRequestException, 400; 413 past a budget; 503 past the
 * timeout). One class for both query languages (there used to be two).
 */
export class QueryError extends HooklineError {
  constructor(message: string, status: 400 | 413 | 503 = 400) {
    super(status === 503 ? ERRORS.QUERY_TIMEOUT : status === 413 ? ERRORS.QUERY_LIMIT : ERRORS.BAD_REQUEST, message);
  }
}
