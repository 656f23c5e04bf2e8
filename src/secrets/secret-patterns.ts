// The regular expression that finds one secret value in recorded text, in
// every encoding a target or a proxy commonly applies to it. Each character of
// the secret may appear in any of its forms independently (a URL encoder
// leaves letters alone and escapes '@'; an HTML escaper turns only '&' and
// '<' into entities), so one pattern is a sequence of per-character
// alternations:
//   raw; percent-encoded UTF-8 bytes, hex in either case (RFC 3986 §2.1 says
//   upper and lower are equivalent), also encoded twice (%2540 for '@', a URL
//   inside another URL's query), '+' for a space (form encoding, WHATWG
//   URL "application/x-www-form-urlencoded"); JSON escapes (RFC 8259 §7:
//   \" \\ \/ \b \f \n \r \t and \uXXXX of each UTF-16 unit); HTML character
//   references (named &amp; &lt; &gt; &quot; &apos;, decimal and hex numeric,
//   leading zeros allowed, HTML §13.2.5.72-80).
// Base64 and base64url (RFC 4648 §4, §5) are added as further sequences: a
// secret inside a larger base64 text (Basic credentials "user:secret") starts
// at one of three byte offsets, so the characters that depend on the secret's
// bytes alone are computed for each offset (see base64Cores).
// No flags: the source matches UTF-16 code units (text) or bytes read as
// latin1 (Buffers), so astral characters are written as their two units.

export type PatternMode = 'text' | 'bytes';

/** Below this many characters a value is masked only as a whole token (see secret-masker.ts). */
export const MIN_FREE_TEXT_LENGTH = 4;

const HTML_NAMED: Record<string, string[]> = { '&': ['&amp;'], '<': ['&lt;'], '>': ['&gt;'], '"': ['&quot;'], "'": ['&apos;'] };
const JSON_SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A literal as regex source: letters and digits as they are, every other code unit as \uXXXX. */
function lit(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    out += /[A-Za-z0-9]/.test(c) ? c : `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** Hex digits matching either case ("2f" -> "2[fF]"). */
function hexAnyCase(hex: string): string {
  return [...hex].map((d) => (/[a-f]/i.test(d) ? `[${d.toLowerCase()}${d.toUpperCase()}]` : d)).join('');
}

function utf8Bytes(ch: string): number[] {
  return [...Buffer.from(ch, 'utf8')];
}

/** The alternation for one code point (a string of one or two UTF-16 units). */
function charForms(ch: string, mode: PatternMode): string {
  const forms = new Set<string>();
  const bytes = utf8Bytes(ch);
  forms.add(lit(mode === 'bytes' ? Buffer.from(bytes).toString('latin1') : ch));
  // HTTP header values travel as latin1 (RFC 9110 §5.5 obs-text): a body echoing one holds the single byte.
  if (mode === 'bytes' && ch.length === 1 && ch.charCodeAt(0) >= 0x80 && ch.charCodeAt(0) <= 0xff) forms.add(lit(ch));
  forms.add(bytes.map((b) => lit('%') + hexAnyCase(b.toString(16).padStart(2, '0'))).join(''));
  // Encoded twice: a URL carried in another URL's query (a redirect's "next=").
  forms.add(bytes.map((b) => lit('%25') + hexAnyCase(b.toString(16).padStart(2, '0'))).join(''));
  if (ch === ' ') forms.add(lit('+'));
  if (JSON_SHORT[ch]) forms.add(lit(JSON_SHORT[ch]));
  const units = [...Array(ch.length).keys()].map((i) => ch.charCodeAt(i));
  forms.add(units.map((u) => lit('\\u') + hexAnyCase(u.toString(16).padStart(4, '0'))).join(''));
  for (const named of HTML_NAMED[ch] ?? []) forms.add(lit(named));
  const cp = ch.codePointAt(0)!;
  forms.add(`${lit('&#')}0*${cp.toString(10)}${lit(';')}`);
  forms.add(`${lit('&#')}[xX]0*${hexAnyCase(cp.toString(16))}${lit(';')}`);
  return `(?:${[...forms].join('|')})`;
}

/** Every encoding of a text, as one regex source. */
export function encodedSource(text: string, mode: PatternMode): string {
  return [...text].map((ch) => charForms(ch, mode)).join('');
}

/**
 * The base64 characters that depend on the secret's bytes only, for each of
 * the three offsets at which it can start inside a larger encoded text.
 * Offset k: k bytes precede it in its 3-byte group; the first 0, 2 or 3
 * characters then mix in those bytes, and the last character mixes in what
 * follows unless the secret ends a group.
 */
export function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores: string[] = [];
  for (const k of [0, 1, 2]) {
    const enc = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64').replace(/=+$/, '');
    const head = [0, 2, 3][k];
    const tail = (k + bytes.length) % 3 === 0 ? 0 : 1;
    const core = enc.slice(head, enc.length - tail);
    if (core.length > 0) cores.push(core);
  }
  return cores;
}

function toBase64url(b64: string): string {
  return b64.replace(/\+/g, '-').replace(/\//g, '_');
}

/** One regex source finding the value in every form above. */
export function secretSource(value: string, mode: PatternMode): string {
  const seqs = new Set<string>([value]);
  if ([...value].length >= MIN_FREE_TEXT_LENGTH) {
    // The whole encoding first (a token of its own, padding included), then the aligned cores.
    const whole = Buffer.from(value, 'utf8').toString('base64');
    for (const w of [whole, whole.replace(/=+$/, '')]) {
      seqs.add(w);
      seqs.add(toBase64url(w));
    }
    for (const core of base64Cores(value)) {
      seqs.add(core);
      seqs.add(toBase64url(core));
    }
  }
  // Every form starts with the raw first unit, '%', '\\', '&' or '+': a lookahead on
  // that set lets the engine skip most positions without trying each form (~5x faster).
  const first = new Set(['%', '\\', '&', '+']);
  for (const seq of seqs) {
    const ch = [...seq][0];
    first.add(mode === 'bytes' ? Buffer.from(ch, 'utf8').toString('latin1')[0] : ch[0]);
  }
  const set = [...first].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  return `(?=[${set}])(?:${[...seqs].map((s) => encodedSource(s, mode)).join('|')})`;
}
