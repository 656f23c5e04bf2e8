// Masks the secret values in play for one delivery in anything recorded or
// returned: every occurrence, in every encoding of secret-patterns.ts,
// becomes [[SENSITIVE]]. Occurrences of several secrets that overlap are
// masked as one span, so no fragment of either is left; adjacent ones stay
// two markers. The token of a "Basic" credential (RFC 7617) that decodes to
// anything holding a secret is masked whole, user name included.
//
// Very short values (under MIN_FREE_TEXT_LENGTH characters) would mask
// ordinary text ("on", "1") if searched everywhere, so they are masked only
// as whole tokens: not preceded or followed by a letter or digit. Requests
// hide them completely anyway: they are rendered with [[SENSITIVE]] as every
// secret's value (attempt-delivery.ts). Empty values are ignored.

import { SENSITIVE } from './mask-secrets.ts';
import { MIN_FREE_TEXT_LENGTH, secretSource, type PatternMode } from './secret-patterns.ts';

const BASIC_RE = /(Basic(?:\s|%20|\+)+)([A-Za-z0-9+/_-]+(?:=|%3[dD]){0,2})/gi;

/** Compiled patterns, per mode and value (bounded; secrets are few and change rarely). */
const cache = new Map<string, RegExp>();
const CACHE_MAX = 512;

function pattern(value: string, mode: PatternMode): RegExp {
  const key = `${mode}\u0000${value}`;
  let re = cache.get(key);
  if (!re) {
    const src = secretSource(value, mode);
    // A short value is a token of its own or not a secret occurrence at all.
    const whole = [...value].length < MIN_FREE_TEXT_LENGTH ? `(?<![A-Za-z0-9])(?:${src})(?![A-Za-z0-9])` : src;
    re = new RegExp(whole, 'g');
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, re);
  }
  return re;
}

type Span = [number, number];

export class SecretMasker {
  /** Masks nothing (a delivery with no secrets). */
  static readonly none = new SecretMasker([]);
  private readonly values: string[];

  constructor(values: Iterable<string>) {
    this.values = [...new Set([...values].filter((v) => v.length > 0))];
  }

  get active(): boolean {
    return this.values.length > 0;
  }

  /** Whether the text holds any secret, in any form. */
  private holdsSecret(text: string): boolean {
    return this.values.some((v) => {
      const re = pattern(v, 'text');
      re.lastIndex = 0;
      return re.test(text);
    });
  }

  private spans(text: string, mode: PatternMode): Span[] {
    const spans: Span[] = [];
    for (const v of this.values) {
      const re = pattern(v, mode);
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        spans.push([m.index, m.index + m[0].length]);
        // Step one character on, not past the match: occurrences may overlap ("aaaa" in "aaaaaa").
        re.lastIndex = m.index + 1;
      }
    }
    BASIC_RE.lastIndex = 0;
    for (let m = BASIC_RE.exec(text); m; m = BASIC_RE.exec(text)) {
      const token = m[2].replace(/%3d/gi, '=');
      const decoded = Buffer.from(token, token.includes('-') || token.includes('_') ? 'base64url' : 'base64').toString('utf8');
      if (this.holdsSecret(decoded)) spans.push([m.index + m[1].length, m.index + m[0].length]);
      // "basic Basic <token>": the first match took "Basic" as its token; look again from the next character.
      BASIC_RE.lastIndex = m.index + 1;
    }
    return spans;
  }

  private mask(text: string, mode: PatternMode): string {
    if (!this.active || text.length === 0) return text;
    const spans = this.spans(text, mode).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    if (spans.length === 0) return text;
    let out = '';
    let at = 0;
    let i = 0;
    while (i < spans.length) {
      let [start, end] = spans[i++];
      // Merge spans that overlap (not those that merely touch).
      while (i < spans.length && spans[i][0] < end) end = Math.max(end, spans[i++][1]);
      if (start < at) start = at;
      out += text.slice(at, start) + SENSITIVE;
      at = end;
    }
    return out + text.slice(at);
  }

  text(s: string): string {
    return this.mask(s, 'text');
  }

  /** Bytes (a response body): matched as latin1 so binary content survives unchanged around the markers. */
  bytes(b: Buffer): Buffer {
    if (!this.active || b.length === 0) return b;
    const s = b.toString('latin1');
    const out = this.mask(s, 'bytes');
    return out === s ? b : Buffer.from(out, 'latin1');
  }

  /** Every string in a JSON-like value, object keys included; other values as they are. */
  value<T>(v: T): T {
    if (!this.active) return v;
    if (typeof v === 'string') return this.text(v) as T;
    if (Buffer.isBuffer(v)) return this.bytes(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.value(x)) as T;
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[this.text(k)] = this.value(x);
      return out as T;
    }
    return v;
  }
}
