// Secrets appear as [[SENSITIVE]] in every log, API answer and error
// (docs.particle.io/getting-started/cloud/secrets). Requests are masked by rendering them a second time
// with this placeholder as every secret's value; free text (responses, error
// messages, anything else recorded) by SecretMasker (secret-masker.ts).

export const SENSITIVE = '[[SENSITIVE]]';

export function maskValues(names: Iterable<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) out[n] = SENSITIVE;
  return out;
}
