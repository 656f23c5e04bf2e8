// A webhook aimed at this hub by a scheme or port it does not serve: with TLS
// on, http://localhost:8086 reaches an HTTPS port and every delivery fails
// with ECONNRESET (issue 12). Compared by host:port with hookline's own URLs
// (the listen URLs and HOOKLINE_PUBLIC_URL; ownOrigins() in ssrf-guard.ts
// adds the loopback spellings). Pure.

import { originKey, ownOrigins } from './ssrf-guard.ts';

/** Paths only hookline (or the InfluxDB/OpenTSDB/Particle APIs it stands in for) answers: a guess that another port on our host means us. */
const OWN_PATHS = /^\/(api\/v[123]\/|api\/put|api\/query|write|query|v1\/|api\/hookline\/)/;

function parse(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

/** The warning to show for `target`, or undefined when it does not look like a wrong way to this hub. */
export function selfTargetWarning(target: string, ownUrls: string[]): string | undefined {
  const t = parse(target);
  if (!t || (t.protocol !== 'http:' && t.protocol !== 'https:')) return undefined;
  const key = originKey(t);
  const host = key.slice(0, key.lastIndexOf(':'));
  // Every scheme served per host:port.
  const served = new Map<string, Set<string>>();
  for (const s of ownUrls) {
    const u = parse(s);
    if (!u) continue;
    for (const k of ownOrigins([s])) {
      const set = served.get(k) ?? new Set<string>();
      set.add(u.protocol);
      served.set(k, set);
    }
  }
  const schemes = served.get(key);
  if (schemes) {
    if (schemes.has(t.protocol)) return undefined;
    const other = [...schemes][0].replace(':', '');
    return `this integration calls ${t.protocol}//${t.host} but this hub serves ${other} there, not ${t.protocol.replace(':', '')}: deliveries fail (ECONNRESET or a TLS error). Use ${other}://${t.host}${t.pathname}`;
  }
  const ports = [...served.keys()].filter((k) => k.slice(0, k.lastIndexOf(':')) === host).map((k) => k.slice(k.lastIndexOf(':') + 1));
  if (ports.length > 0 && OWN_PATHS.test(t.pathname)) {
    const alts = [...new Set([...served.entries()].filter(([k]) => k.startsWith(`${host}:`)).map(([k, s]) => `${[...s][0]}//${t.hostname}:${k.slice(k.lastIndexOf(':') + 1)}`))];
    return `this integration calls this hub's host on port ${key.slice(key.lastIndexOf(':') + 1)}, which hookline does not serve; it serves ${alts.join(', ')}`;
  }
  return undefined;
}
