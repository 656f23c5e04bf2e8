// Webhook targets may not be loopback, link-local, private or otherwise
// internal addresses unless the operator allows them
// (HOOKLINE_WEBHOOK_ALLOW_PRIVATE: "1" = all, or a CIDR list). Every address a
// name resolves to is checked, and the connection is made to a checked address
// (the check runs inside the socket's own lookup, so DNS rebinding between
// check and connect cannot slip through). Redirects are never followed.
// hookline's own URL is always allowed, so the seed's template pointed at
// hookline's /api/v2/write works.

import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';

/** Ranges refused by default (RFC 6890 special-purpose and private ranges). */
const BLOCKED_V4 = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const;
const BLOCKED_V6 = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 of any v4 address: checked through the v4 part below
] as const;

export class SsrfError extends Error {
  readonly code = 'EADDRBLOCKED';
}

export interface AddressPolicy {
  /** True when connecting to `address` is refused. */
  blocked(address: string): boolean;
}

/** `allow`: "" (refuse internal ranges), "1" (allow everything) or "10.0.0.0/8,fd00::/8". */
export function addressPolicy(allow: string): AddressPolicy {
  if (allow.trim() === '1') return { blocked: () => false };
  const blocked = new BlockList();
  for (const [a, p] of BLOCKED_V4) blocked.addSubnet(a, p, 'ipv4');
  for (const [a, p] of BLOCKED_V6) blocked.addSubnet(a, p, 'ipv6');
  const allowed = new BlockList();
  for (const part of allow.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [addr, bits] = part.split('/');
    const family = isIP(addr);
    if (!family) throw new Error(`HOOKLINE_WEBHOOK_ALLOW_PRIVATE: "${part}" is not an address or CIDR range`);
    const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`HOOKLINE_WEBHOOK_ALLOW_PRIVATE: bad prefix in "${part}"`);
    allowed.addSubnet(addr, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  const check = (address: string): boolean => {
    const family = isIP(address);
    if (family === 0) return true;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (family === 6) {
      // IPv4-mapped (::ffff:a.b.c.d) and NAT64 addresses are judged by their v4 part.
      const m = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
      if (m) return check(m[1]);
    }
    if (allowed.check(address, type)) return false;
    return blocked.check(address, type);
  };
  return { blocked: check };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A socket `lookup` that resolves every address and refuses the name if any is blocked. */
export function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number } | undefined, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, family: options?.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, '');
      const bad = addresses.find((a) => policy.blocked(a.address));
      if (bad) return callback(new SsrfError(`refused: ${hostname} resolves to ${bad.address}, an internal address (set HOOKLINE_WEBHOOK_ALLOW_PRIVATE to allow it)`), '');
      if (options?.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** host:port keys of a URL, for comparing against hookline's own URLs. */
export function originKey(u: URL): string {
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.hostname.replace(/^\[|\]$/g, '').toLowerCase()}:${port}`;
}

/**
 * hookline's own origins: the listen URL and HOOKLINE_PUBLIC_URL; for a
 * loopback or wildcard listener, every loopback spelling of the same port.
 */
export function ownOrigins(urls: string[]): Set<string> {
  const out = new Set<string>();
  for (const s of urls) {
    if (!s) continue;
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      continue;
    }
    const key = originKey(u);
    out.add(key);
    const host = key.slice(0, key.lastIndexOf(':'));
    const port = key.slice(key.lastIndexOf(':') + 1);
    if (['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(host)) for (const h of ['127.0.0.1', 'localhost', '::1']) out.add(`${h}:${port}`);
  }
  return out;
}

// A webhook aimed at this hub by a scheme or port it does not serve: with TLS
// on, http://localhost:8086 reaches an HTTPS port and every delivery fails
// with ECONNRESET (issue 12). Compared by host:port with hookline's own URLs
// (the listen URLs and HOOKLINE_PUBLIC_URL) and their loopback spellings.

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
