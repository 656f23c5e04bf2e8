// "12 s ago" for "last heard" and event times; exact time in the title attribute.

export function relativeTime(thenMs: number, nowMs: number): string {
  if (!Number.isFinite(thenMs) || !Number.isFinite(nowMs)) return '';
  // A clock a little ahead of this browser's: not "in 2 s".
  if (thenMs > nowMs) return 'just now';
  const d = Math.round((nowMs - thenMs) / 1000);
  if (d < 60) return `${d} s ago`;
  if (d < 3600) return `${Math.floor(d / 60)} min ago`;
  if (d < 86400) return `${Math.floor(d / 3600)} h ago`;
  return `${Math.floor(d / 86400)} d ago`;
}
