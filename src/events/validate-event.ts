// Publish rules (docs.particle.io/reference/cloud-apis/api): names are 1-64 characters of letters,
// digits, underscore, dash and slash [DOC S24]; names starting with
// "spark" or "particle" (any case) are reserved for the cloud [S27]; data is
// at most 16 KiB, the largest event Device OS accepts (≥ 6.3 CloudEvent;
// the API-side limit is UNKNOWN, docs.particle.io/reference/cloud-apis/api suggests 16384 B). Pure.

export const MAX_NAME_LENGTH = 64;
export const MAX_DATA_BYTES = 16384;
const NAME_RE = /^[A-Za-z0-9_\-/]+$/;
const RESERVED_RE = /^(spark|particle)/i;
/** Names the cloud uses for webhook results; they never trigger integrations (docs.particle.io/reference/cloud-apis/webhooks). */
export const RESULT_PREFIXES = ['hook-sent', 'hook-response', 'hook-error'] as const;

/** A message naming what is wrong with `name`, or undefined when it may be published. */
export function checkEventName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'name is required (1-64 characters: letters, digits, _ - /)';
  if (name.length > MAX_NAME_LENGTH) return `name is ${name.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`;
  if (!NAME_RE.test(name)) return `name "${name}" may only hold letters, digits, underscores, dashes and slashes`;
  if (RESERVED_RE.test(name)) return `name "${name}" is reserved: names starting with "spark" or "particle" are for the cloud`;
  return undefined;
}

/** A message naming what is wrong with `data`, or undefined. */
export function checkEventData(data: unknown): string | undefined {
  if (data === undefined || data === null) return undefined;
  if (typeof data !== 'string') return 'data must be a string';
  const bytes = Buffer.byteLength(data, 'utf8');
  if (bytes > MAX_DATA_BYTES) return `data is ${bytes} bytes; at most ${MAX_DATA_BYTES} are allowed`;
  return undefined;
}

/** True for hook-sent/…, hook-response/…, hook-error/… names. */
export function isResultEventName(name: string): boolean {
  return RESULT_PREFIXES.some((p) => name === p || name.startsWith(p + '/'));
}
