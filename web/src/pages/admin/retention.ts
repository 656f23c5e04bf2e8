// Retention choices in the words InfluxDB's UI uses; 0 = keep forever.

export const RETENTIONS: ReadonlyArray<{ seconds: number; label: string }> = [
  { seconds: 0, label: 'Forever' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86400, label: '1 day' },
  { seconds: 7 * 86400, label: '7 days' },
  { seconds: 30 * 86400, label: '30 days' },
  { seconds: 90 * 86400, label: '90 days' },
  { seconds: 365 * 86400, label: '1 year' },
];

export function retentionLabel(seconds: number): string {
  const known = RETENTIONS.find((r) => r.seconds === seconds);
  if (known) return known.label;
  if (seconds % 86400 === 0) return `${seconds / 86400} days`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hours`;
  return `${seconds} s`;
}
