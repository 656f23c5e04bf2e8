// The cause of a failed delivery attempt, as a short key to group by: the
// network error code (ECONNRESET, ECONNREFUSED, ETIMEDOUT, ESOCKETTIMEDOUT...),
// "HTTP 503" for a status, or the first words of any other message. Pure.

/** The parts of a delivery-log entry that name its cause. */
export interface FailedAttempt {
  response?: { status: number };
  error?: string;
}

export function causeOf(e: FailedAttempt): string {
  if (e.response) return `HTTP ${e.response.status}`;
  const m = (e.error ?? '').trim();
  if (m === '') return 'unknown error';
  // Node and hookline error codes (send-webhook.ts names network failures by code).
  if (/^E[A-Z0-9_]+$/.test(m) || /^[A-Z][A-Z0-9_]{3,}$/.test(m)) return m;
  if (m.startsWith('refused: ')) return 'address refused (internal address)';
  const head = m.split(':')[0].trim();
  return head.length > 60 ? `${head.slice(0, 57)}...` : head;
}
