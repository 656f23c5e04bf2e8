// Integrations aimed at this hub by a scheme or port it does not serve (issue
// 12): the Particle seed's http://localhost:8086 after HOOKLINE_TLS_PLAIN_HTTP
// was turned off, or a port typed wrong. Every delivery of such an integration
// fails (ECONNRESET, ECONNREFUSED) and trips the host's circuit breaker for
// the integrations that are right, so the start-up log says so up front.

export interface ServedEndpoints {
  /** Host names that reach this hub (loopback spellings, the listen address, HOOKLINE_PUBLIC_URL's host). */
  hosts: Set<string>;
  /** What is served, as "http:8086", "https:8086". */
  endpoints: Set<string>;
}

export interface TargetIntegration {
  id: string;
  name: string;
  url: string;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

/** The endpoints of this hub: each port with each scheme it answers, and the public URL as given. */
export function servedEndpoints(opts: { host: string; ports: number[]; tls: boolean; plainHttp: boolean; publicUrl?: string }): ServedEndpoints {
  const hosts = new Set<string>([opts.host.toLowerCase()]);
  if (['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(opts.host)) for (const h of LOOPBACK) hosts.add(h);
  const endpoints = new Set<string>();
  for (const p of opts.ports) {
    if (opts.tls) endpoints.add(`https:${p}`);
    if (!opts.tls || opts.plainHttp) endpoints.add(`http:${p}`);
  }
  if (opts.publicUrl) {
    try {
      const u = new URL(opts.publicUrl);
      hosts.add(u.hostname.replace(/^\[|\]$/g, '').toLowerCase());
      endpoints.add(`${u.protocol.slice(0, -1)}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`);
    } catch {
      // an invalid public URL is reported by the config check
    }
  }
  return { hosts, endpoints };
}

/** One warning per integration whose URL names this hub with a scheme and port it does not serve. */
export function ownTargetWarnings(integrations: TargetIntegration[], served: ServedEndpoints): string[] {
  const out: string[] = [];
  const list = [...served.endpoints].map((e) => e.replace(':', '://:')).join(', ');
  for (const i of integrations) {
    if (i.url.includes('{{')) continue; // a templated URL is only known per event
    let u: URL;
    try {
      u = new URL(i.url);
    } catch {
      continue;
    }
    const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (!served.hosts.has(host)) continue;
    const scheme = u.protocol.slice(0, -1);
    const port = u.port || (scheme === 'https' ? '443' : '80');
    if (served.endpoints.has(`${scheme}:${port}`)) continue;
    out.push(`integration "${i.name}" (${i.id}) points at this hub as ${u.origin}, which is not served (served: ${list}); its deliveries will fail`);
  }
  return out;
}
