// Secrets appear as [[SENSITIVE]] in every log, API answer and error
// (docs.particle.io/getting-started/cloud/secrets). Requests are masked by rendering them a second time
// with this placeholder as every secret's value; free text (responses, error
// messages) is masked by replacing the values, raw and URL-encoded.

export const SENSITIVE = '[[SENSITIVE]]';
/** Shorter values would mask ordinary text; they are still masked in rendered requests. */
const MIN_MASK_LENGTH = 4;

export function maskValues(names: Iterable<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) out[n] = SENSITIVE;
  return out;
}

export function maskText(text: string, values: Iterable<string>): string {
  let out = text;
  for (const v of values) {
    if (v.length < MIN_MASK_LENGTH) continue;
    for (const form of new Set([v, encodeURIComponent(v), new URLSearchParams({ v }).toString().slice(2)])) {
      if (out.includes(form)) out = out.split(form).join(SENSITIVE);
    }
  }
  return out;
}
