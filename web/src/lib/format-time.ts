// One way to show a time on the integration and secrets pages: the API's
// RFC 3339 UTC instants as "2026-12-07 10:36:37 UTC" (UTC like the API, the
// per-day counters and the server's logs, so a time read here can be found
// there; the exact value, with milliseconds, in the <time> element).

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Every RFC 3339 instant inside a text (e.g. an older log's "retry at …"), formatted. */
export function formatTimesIn(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (m) => formatTime(m));
}
