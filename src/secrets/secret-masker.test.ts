import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SENSITIVE as S } from './mask-secrets.ts';
import { base64Cores } from './secret-patterns.ts';
import { SecretMasker } from './secret-masker.ts';

const K = 'k3y/v@lue+1&"<é>';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const lowerPct = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const htmlNamed = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const htmlDec = (s: string) => [...s].map((c) => `&#${c.codePointAt(0)};`).join('');
const htmlHex = (s: string) => [...s].map((c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`).join('');
const jsonAscii = (s: string) => JSON.stringify(s).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

// [what, secrets, input, expected]
const cases: Array<[string, string[], string, string]> = [
  ['raw', [K], `a ${K} b`, `a ${S} b`],
  ['encodeURIComponent', [K], `?k=${encodeURIComponent(K)}&x=1`, `?k=${S}&x=1`],
  ['percent hex in lower case', [K], `?k=${lowerPct(encodeURIComponent(K))}`, `?k=${S}`],
  ['form encoding, + for space', ['my s3cret'], `a=${new URLSearchParams({ v: 'my s3cret' }).toString().slice(2)}`, `a=${S}`],
  ['URL-encoded twice (a URL inside a query)', ['p@ss w0rd'], `next=${encodeURIComponent(`https://x/?k=${encodeURIComponent('p@ss w0rd')}`)}`, `next=${encodeURIComponent('https://x/?k=')}${S}`],
  ['form encoding of every byte', [K], `a=${[...Buffer.from(K)].map((b) => '%' + b.toString(16)).join('')}`, `a=${S}`],
  ['JSON.stringify without quotes', [K], `{"k":${JSON.stringify(K)}}`, `{"k":"${S}"}`],
  ['JSON \\u escapes of non-ASCII', [K], `{"k":"${jsonAscii(K)}"}`, `{"k":"${S}"}`],
  ['JSON \\/ escape of a slash', [K], `"${JSON.stringify(K).slice(1, -1).replace(/\//g, '\\/')}"`, `"${S}"`],
  ['JSON control characters', ['tab\there\n'], JSON.stringify({ k: 'tab\there\n' }), `{"k":"${S}"}`],
  ['JSON astral character as surrogate escapes', ['p😀ssword'], '"p\\ud83d\\uDE00ssword"', `"${S}"`],
  ['HTML named entities', [K], `<p>${htmlNamed(K)}</p>`, `<p>${S}</p>`],
  ['HTML decimal entities of every character', [K], `<p>${htmlDec(K)}</p>`, `<p>${S}</p>`],
  ['HTML hex entities with leading zeros', ['ab<cd'], '<i>ab&#x003c;cd</i>', `<i>${S}</i>`],
  ['HTML &apos;', ["it's-me"], 'it&apos;s-me', S],
  ['base64', [K], `token ${b64(K)} end`, `token ${S} end`],
  ['base64url', [K], `token=${b64url(K)}`, `token=${S}`],
  ['URL userinfo', ['p@ss:w0rd'], `https://user:${'p%40ss%3Aw0rd'}@x.example/`, `https://user:${S}@x.example/`],
  ['URL path', ['s3cr3t path'], 'https://x/hook/s3cr3t%20path/y', `https://x/hook/${S}/y`],
  ['Location with api_key', ['abcd-1234'], 'https://x/hook?api_key=abcd-1234', `https://x/hook?api_key=${S}`],
  ['every occurrence', ['abcd'], 'abcd abcd,abcd', `${S} ${S},${S}`],
  ['overlapping occurrences of one secret', ['aaaa'], 'xaaaaaax', `x${S}x`],
  ['two overlapping secrets: one span', ['abcdef', 'defghi'], '-abcdefghi-', `-${S}-`],
  ['a secret inside another', ['0123456789', '3456'], '3456 0123456789', `${S} ${S}`],
  ['adjacent secrets: two markers', ['abcdef', 'ghijkl'], 'abcdefghijkl', `${S}${S}`],
  ['other text untouched', [K], 'k3y/v@lue+2 k3y v@lue é', 'k3y/v@lue+2 k3y v@lue é'],
  ['a near miss in another encoding untouched', ['s3cret'], 's3cre%75 s3cre&#117; czNjcmV1', 's3cre%75 s3cre&#117; czNjcmV1'],
  ['a short secret as a whole token', ['ab'], 'k=ab&x=abc&y=cab', `k=${S}&x=abc&y=cab`],
  ['a short secret inside a word is left', ['on'], 'one done', 'one done'],
  ['an empty secret masks nothing', [''], 'anything', 'anything'],
  ['no secrets', [], 'abc', 'abc'],
];

for (const [what, secrets, input, expected] of cases) {
  test(`mask: ${what}`, () => {
    assert.equal(new SecretMasker(secrets).text(input), expected);
  });
}

test('base64 inside a larger text is masked at each of the three byte alignments', () => {
  const secret = 'Sup3r-S3cret!';
  const m = new SecretMasker([secret]);
  for (const prefix of ['', 'a', 'ab', 'abc', 'abcd']) {
    for (const suffix of ['', 'z', 'zy', 'zyx']) {
      for (const enc of [b64, b64url]) {
        const out = m.text(enc(prefix + secret + suffix));
        assert.ok(out.includes(S), `${prefix}|${suffix}: ${out}`);
        // Whatever is left around the marker cannot decode to the secret.
        for (const part of out.split(S)) assert.equal(Buffer.from(part, 'base64').toString('latin1').includes('S3cr'), false);
      }
    }
  }
  assert.equal(base64Cores(secret).length, 3);
});

test('a Basic credential holding a secret is masked whole, user name included', () => {
  const m = new SecretMasker(['hunter22']);
  const token = b64('alice:hunter22');
  assert.equal(m.text(`Authorization: Basic ${token}`), `Authorization: Basic ${S}`);
  assert.equal(m.text(`{"authorization":"basic ${token}"}`), `{"authorization":"basic ${S}"}`);
  assert.equal(m.text(`basic Basic ${token}`), `basic Basic ${S}`);
  assert.equal(m.text(`Authorization: Basic%20${encodeURIComponent(token)}`), `Authorization: Basic%20${S}`);
  // A Basic credential without the secret stays (aligned cores find nothing either).
  const other = `Basic ${b64('alice:other-pass')}`;
  assert.equal(m.text(other), other);
});

test('bytes: binary content around a secret survives, the secret does not', () => {
  const m = new SecretMasker(['tök3n-value']);
  const bin = Buffer.concat([Buffer.from([0xff, 0x00, 0xa7]), Buffer.from('tök3n-value'), Buffer.from([0x98, 0xfe])]);
  const out = m.bytes(bin);
  assert.deepEqual(out, Buffer.concat([Buffer.from([0xff, 0x00, 0xa7]), Buffer.from(S), Buffer.from([0x98, 0xfe])]));
  assert.deepEqual(m.bytes(Buffer.from([1, 2, 3])), Buffer.from([1, 2, 3]));
  assert.equal(m.bytes(Buffer.from(`x=${encodeURIComponent('tök3n-value')}`)).toString(), `x=${S}`);
  // A header value echoed into a body arrives as latin1, one byte for 'ö'.
  assert.equal(m.bytes(Buffer.from('x=tök3n-value;', 'latin1')).toString(), `x=${S};`);
});

test('value: every string of a JSON-like value, keys included', () => {
  const m = new SecretMasker(['s3cret-key']);
  const v = { url: 'https://x/?k=s3cret-key', headers: { 'x-s3cret-key': 'Bearer s3cret-key' }, list: ['s3cret-key', 3, null, true], status: 301 };
  assert.deepEqual(m.value(v), { url: `https://x/?k=${S}`, headers: { [`x-${S}`]: `Bearer ${S}` }, list: [S, 3, null, true], status: 301 });
  assert.equal(SecretMasker.none.value(v), v);
});

test('seeded random secrets and surroundings: no encoding survives, text without a secret is untouched', async () => {
  const fc = (await import('fast-check')).default;
  const encoders: Array<(s: string) => string> = [
    (s) => s,
    encodeURIComponent,
    (s) => lowerPct(encodeURIComponent(s)),
    (s) => new URLSearchParams({ v: s }).toString().slice(2),
    (s) => JSON.stringify(s).slice(1, -1),
    jsonAscii,
    htmlNamed,
    htmlDec,
    htmlHex,
    b64,
    b64url,
  ];
  // Surroundings from an alphabet the secrets avoid, so any change to them would be a false mask.
  const around = fc.stringMatching(/^[.,;:!? ~]{0,20}$/);
  fc.assert(
    fc.property(fc.string({ minLength: 4, maxLength: 40, unit: 'grapheme' }).filter((s) => /^[^.,;:!? ~]+$/.test(s)), around, around, fc.nat(encoders.length - 1), (secret, pre, post, e) => {
      const m = new SecretMasker([secret]);
      assert.equal(m.text(pre + encoders[e](secret) + post), pre + S + post);
      assert.equal(m.text(pre + post), pre + post);
    }),
    { seed: 10, numRuns: 1000 },
  );
});
