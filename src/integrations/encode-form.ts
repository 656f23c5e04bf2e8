// Form bodies use RFC 3986 percent-encoding, byte-identical to qs.stringify
// (space %20, ! %21, : %3A; the request dumps in docs.particle.io/reference/cloud-apis/webhooks). Query strings use
// URLSearchParams instead (space +, as the docs' examples show).

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function encode(s: string): string {
  // Lone surrogates (possible in JSON data) become U+FFFD, as URLSearchParams does.
  return encodeURIComponent(s.replace(LONE_SURROGATE, '\ufffd')).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function encodeForm(pairs: Iterable<[string, string]>): string {
  const out: string[] = [];
  for (const [k, v] of pairs) out.push(`${encode(k)}=${encode(v)}`);
  return out.join('&');
}
